import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from imports.services import import_export
from tests import factories

FIXTURES = Path(__file__).parent / "fixtures"
BLOG = FIXTURES / "course-blog-1.2.xml"
CLASSIC = FIXTURES / "classic-1.1.xml"


def image_bytes(fmt, size=(640, 480), colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def media_zip(tmp_path):
    """A zip of wp-content/uploads as WordPress users download it (gone.jpg missing)."""
    path = tmp_path / "uploads.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("uploads/2017/03/poster.jpg", image_bytes("JPEG"))
        archive.writestr("uploads/2017/04/dove.png", image_bytes("PNG", colour=(250, 250, 250)))
    return path


@pytest.fixture
def media_dir(tmp_path):
    root = tmp_path / "wp-content" / "uploads"
    (root / "2017" / "03").mkdir(parents=True)
    (root / "2017" / "04").mkdir(parents=True)
    (root / "2017" / "03" / "poster.jpg").write_bytes(image_bytes("JPEG"))
    (root / "2017" / "04" / "dove.png").write_bytes(image_bytes("PNG"))
    return root


@pytest.fixture
def course(db):
    return factories.CourseFactory(
        title="Russia", slug="russia", thread_depth=5, time_zone="Europe/Moscow"
    )


@pytest.fixture
def instructor(course):
    return factories.MembershipFactory(
        course=course, role="instructor", user=factories.UserFactory(username="prof")
    ).user


@pytest.fixture
def anna(db):
    """Already has an account here, with the address she used on WordPress."""
    return factories.UserFactory(username="anna_here", email="Anna@Example.edu")


@pytest.fixture
def imported(course, anna, media_zip):
    from imports.models import ImportRun

    run = ImportRun.objects.create(course=course, status=ImportRun.Status.RUNNING)
    report = import_export(
        course=course, source=BLOG, media=media_zip, award_category="Comrade's Corner", run=run
    )
    run.status, run.report = ImportRun.Status.DONE, report
    run.save()
    return run
