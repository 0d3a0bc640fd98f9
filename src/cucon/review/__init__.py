"""Review help for staff, one module a job: the summary of a pull request (pr_summary), its links
(links), and what has gone stale (staleness); revisions reads two revisions of the repository."""
