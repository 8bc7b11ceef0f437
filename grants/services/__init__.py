"""Business actions of the grants app, split by topic:

- programmes: programmes and their scoring criteria
- allocation: the lump-sum split over areas (and its import)
- applications: applications, budget lines, attachments, the workflow, decisions, payments
- review: reviewer assignment, conflict declarations, scores
- reports: 実績報告 and its acceptance
- exports: PDF and table exports
"""
