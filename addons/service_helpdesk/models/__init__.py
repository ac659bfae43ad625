from . import (
    service_kb_search_mixin,
    service_ticket_portal_mixin,
    res_partner,
    sale_order,
    service_equipment,
    service_kb_article,
    service_kb_category,
    service_kb_tag,
    service_ticket_stage,
    service_ticket,
    service_ticket_answer,
    service_ticket_question,
    service_ticket_team,
    service_ticket_type,
    service_ticket_visit,
    website_menu,
)
from . import res_config_settings
