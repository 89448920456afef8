from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "gonghui.inbox"
    label = "inbox"
    verbose_name = _("Messages to workers")

    def ready(self):
        from gonghui.portal.tabs import register_tab

        register_tab(_("Messages"), "inbox:list", 30)
