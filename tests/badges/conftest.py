import pytest

from awards.services import grant_award
from tests import factories


@pytest.fixture
def award(course):
    return factories.AwardFactory(
        course=course,
        name="Best Use of Sources",
        colour="#1f5c4d",
        description="For a post that quotes its sources fairly.",
        criteria="Every claim rests on a source the reader can find.",
    )


@pytest.fixture
def grant(award, post, instructor):
    """A grant made the way instructors make them (its credential row comes with it)."""
    return grant_award(award=award, post=post, granted_by=instructor, citation="Careful work.")


@pytest.fixture
def credential(grant):
    return grant.credential
