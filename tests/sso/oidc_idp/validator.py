from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.sso.oidc_idp.users import USERS


class Validator(OAuth2Validator):
    """Standard claims from the Django user, plus eduPerson-style affiliation."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "affiliation": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "email": user.email,
            "email_verified": True,
            "affiliation": USERS.get(user.username, {}).get("affiliation", []),
        }
