from config import hooks
from config.hooks import AccountLink

hooks.ACCOUNT_LINKS.register(
    AccountLink("privacy:data_export", "Download my data", current=("data_export",)), order=10
)
hooks.ACCOUNT_LINKS.register(
    AccountLink("privacy:account_delete", "Delete account", current=("account_delete",)), order=90
)
