"""Access tokens for the platform's services (LTI Advantage, IMS Security Framework):
the client-credentials grant with a JWT assertion signed by the tool's key, made by
pylti1p3's service connector (lti.library.Connector). A token is kept in the shared
cache until shortly before it expires, per platform and scopes, so the app servers
and workers ask the platform once an hour, not once a call."""


def connector(platform):
    """The service connector for `platform` (the library loads here, not with the app)."""
    from lti.library import Connector

    return Connector(platform)


def access_token(platform, scopes):
    return connector(platform).get_access_token(scopes)


def forget_token(platform, scopes):
    connector(platform).forget_token(scopes)
