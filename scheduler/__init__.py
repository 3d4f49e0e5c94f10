"""The daemon behind ``wirewatch run``: scheduled crawls in child processes, delivery, ops notices.

Modules: :mod:`scheduler.daemon` (start, signals, reload, stop), :mod:`scheduler.jobs`
(what each scheduled job does), :mod:`scheduler.triggers` (schedules and catch-up),
:mod:`scheduler.childcrawl` (a crawl in its own process group with a time limit),
:mod:`scheduler.lock` (one daemon per database), :mod:`scheduler.opsnotice` (what ops
hear of) and :mod:`scheduler.logs` (one line per event, secrets masked).
"""
