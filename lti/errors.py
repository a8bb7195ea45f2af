"""Every way a launch can be refused, with the words the person sees: what happened and
what to tell the LMS admin (docs/lti.md, "Error pages", lists them). Each page also shows
the request id, which finds the log line."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    title: str
    explanation: str
    tell_admin: str
    status: int = 400


REASONS = {
    "bad_request": Reason(
        "This isn't a launch",
        "The request did not carry an LTI launch (no id_token or state).",
        "Commonplace received a malformed LTI launch: check the tool's launch URL.",
    ),
    "unknown_platform": Reason(
        "This LMS isn't registered",
        "Commonplace doesn't know the LMS (issuer and client id) that sent you here.",
        "Register this LMS in Commonplace (manage.py lti_platform add, or the admin).",
    ),
    "expired_login": Reason(
        "This launch has already been used or has expired",
        "Each launch works once and for a few minutes. Go back to your course in the LMS "
        "and open Commonplace again.",
        "If it happens on every launch, the LMS may be replaying launches or its clock may "
        "be wrong.",
    ),
    "replayed": Reason(
        "This launch has already been used",
        "A launch can be used once. Go back to your course in the LMS and open Commonplace again.",
        "The launch's nonce did not match the login it belongs to (a replayed launch).",
    ),
    "unknown_kid": Reason(
        "The LMS signed this launch with a key Commonplace can't find",
        "The launch's signature can't be checked.",
        "The key id (kid) isn't in the LMS's public keyset: check the keyset URL "
        "registered in Commonplace.",
    ),
    "bad_signature": Reason(
        "This launch's signature is not valid",
        "Commonplace can't be sure the launch came from your LMS, so it didn't sign you in.",
        "The id_token's signature did not verify against the LMS's public keyset.",
        403,
    ),
    "expired": Reason(
        "This launch has expired",
        "Go back to your course in the LMS and open Commonplace again.",
        "The id_token was expired or issued in the future: check the LMS server's clock.",
    ),
    "wrong_audience": Reason(
        "This launch was meant for another tool",
        "The launch names a different client id than the one Commonplace was registered with.",
        "The id_token's aud/azp does not match the client id registered in Commonplace.",
        403,
    ),
    "unknown_deployment": Reason(
        "This deployment isn't registered",
        "Commonplace was added to your LMS in a way it doesn't know yet.",
        "Add this deployment id to the platform's registration in Commonplace.",
    ),
    "bad_message": Reason(
        "Commonplace can't use this kind of launch",
        "The launch is missing information Commonplace needs, or is of a kind it doesn't handle.",
        "The message type, LTI version or a required claim was wrong or missing.",
    ),
    "platform_down": Reason(
        "Your LMS didn't answer",
        "Commonplace needs to check the launch with your LMS, which didn't answer. Try "
        "again in a few minutes.",
        "Commonplace could not fetch the LMS's public keyset.",
        502,
    ),
    "no_role": Reason(
        "Your role in this course doesn't give access to Commonplace",
        "Commonplace lets in instructors, teaching assistants and students of the LMS course.",
        "The launch carried no Instructor, ContentDeveloper, TeachingAssistant or Learner "
        "role for this course.",
        403,
    ),
    "not_set_up": Reason(
        "This course isn't set up in Commonplace yet",
        "Your instructor needs to open Commonplace from the LMS once to set up the course. "
        "Please try again later.",
        "An instructor of the LMS course has to launch Commonplace once and create or link "
        "its course.",
        409,
    ),
    "picker_not_set_up": Reason(
        "Set up this course in Commonplace first",
        "Open Commonplace once from this LMS course (as a link) to create or link its "
        "Commonplace course; then add Commonplace content here.",
        "Nothing: an instructor has to open Commonplace from the LMS course once.",
        409,
    ),
    "picker_not_instructor": Reason(
        "Only instructors add Commonplace content",
        "Choosing Commonplace content for the LMS course is for its instructors.",
        "The deep linking launch carried no Instructor or ContentDeveloper role.",
        403,
    ),
    "picker_expired": Reason(
        "This choice has expired",
        "Choosing content works for an hour. Start again from the LMS.",
        "Nothing: the person waited too long.",
    ),
    "linked_elsewhere": Reason(
        "This link belongs to another course",
        "The LMS course you came from is linked to a different Commonplace course.",
        "The link placed in this LMS course points to a Commonplace course it isn't linked "
        "to: place it again from this course.",
        403,
    ),
    "account_conflict": Reason(
        "Commonplace can't sign you in with this account",
        "Another Commonplace account already uses this LMS identity.",
        "Ask a Commonplace site admin to look at the LMS identities in the admin.",
        409,
    ),
    "bad_invite": Reason(
        "This registration link isn't valid",
        "Registration links work for seven days and come from a Commonplace site admin.",
        "Ask the Commonplace site admin for a new link (manage.py lti_platform register-url).",
        403,
    ),
    "registration_failed": Reason(
        "Commonplace couldn't register with this LMS",
        "The LMS's registration service didn't answer as expected.",
        "Check that dynamic registration is enabled for the LMS and try again.",
        502,
    ),
    "handoff_expired": Reason(
        "This link has expired",
        "The link to open Commonplace works once and for two minutes. Go back to your "
        "course in the LMS and open Commonplace again.",
        "Nothing: the person waited too long or used the link twice.",
    ),
}


class LaunchRefused(Exception):
    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class ServiceError(Exception):
    """The platform refused or did not answer a service call (a token, the roster,
    scores, line items): the message says which, for people."""
