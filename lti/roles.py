"""How LMS roles (LIS vocabulary) map to course roles (docs/lti.md, "Roles")."""

from blog.models import Role

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"


def _context_roles(roles):
    """The context roles among the claim's: full LIS membership URIs, or the bare
    names LTI 1.3 also allows. Institution and system roles give nothing in a course."""
    found = set()
    for role in roles:
        if not isinstance(role, str):
            continue
        if role.startswith(MEMBERSHIP):
            found.add(role[len(MEMBERSHIP) :].lstrip("#/"))
        elif "/" not in role and "#" not in role:
            found.add(role)
    return found


def course_role(roles):
    """The Commonplace role an LMS role list gives, or None. A teaching assistant
    (the Instructor sub-role, sent with Instructor itself) is not an instructor."""
    found = _context_roles(roles)
    if found & {"Instructor#TeachingAssistant", "TeachingAssistant"}:
        return Role.ASSISTANT
    if found & {"Instructor", "ContentDeveloper"}:
        return Role.INSTRUCTOR
    if "Learner" in found:
        return Role.STUDENT
    return None
