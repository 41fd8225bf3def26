// SiteGenerator: see the brief in DESIGN.md; filled in by its issue.
