"""Rules of the dashboard and the logic model (imported at the bottom of
portal/permissions.py)."""

from portal.permissions import coordinators, register, staff

register("portal.view_area_dashboard", staff)
register("portal.view_logic_model", staff)
register("portal.edit_logic_model", coordinators)
register("portal.export_logic_model", staff)
