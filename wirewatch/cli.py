"""The ``wirewatch`` command line: where config, storage and crawls are wired together.

Errors from the packages below are turned into messages and exit statuses here
and only here: 0 success, 1 the work ran but something failed, 2 bad usage or
a bad config.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wirewatch.config import STARTER_CONFIG, Config, ConfigError, load_config
from wirewatch.logs import mask, redact_logging, secret_values

if TYPE_CHECKING:
    from alerts.deliver import DeliveryReport

# Storage and alerts are imported by the commands that use them: with SQLite-utils they
# take 0.1 s to import, and `crawl` starts its child before it needs them.


class ConfigProblem(click.ClickException):
    """A bad config or an unknown name: exit 2, as for bad usage."""

    exit_code = 2

    def format_message(self) -> str:
        return self.message


def _config(ctx: click.Context) -> Config:
    """Load the config once per command, turning its errors into exit status 2."""
    if ctx.obj.get("config") is None:
        try:
            ctx.obj["config"] = load_config(ctx.obj["config_path"])
        except ConfigError as exc:
            raise ConfigProblem(str(exc)) from None
        redact_logging(ctx.obj["config"], ctx.obj.get("verbose", 0))
    return ctx.obj["config"]


def _open(config: Config):
    import storage

    try:
        return storage.open_db(config.database)
    except (storage.StorageError, sqlite3.Error) as exc:  # too new, or not a database
        raise ConfigProblem(storage.open_problem(config.database, exc)) from None


def _check_sources(config: Config, names: Iterable[str]) -> None:
    for name in names:
        try:
            config.source(name)
        except KeyError as exc:
            raise ConfigProblem(f"{config.path}: {exc.args[0]}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: $WIREWATCH_CONFIG, ./wirewatch.toml, the packaged one).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="wirewatch")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """Crawl conflict reporting, de-duplicate it into SQLite, and alert on what you watch."""
    ctx.ensure_object(dict)
    ctx.obj.update(config_path=config_path, verbose=verbose, config=None)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing wirewatch.toml.")
def init(directory: str, force: bool) -> None:
    """Write a commented starter config and create its database.

    Example: wirewatch init ~/wirewatch && cd ~/wirewatch && wirewatch crawl
    """
    target = Path(directory) / "wirewatch.toml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists already (use --force to overwrite)")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only from the first byte: the file will hold or point at secrets.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(STARTER_CONFIG.read_text(encoding="utf-8"))
    os.chmod(target, 0o600)
    try:
        config = load_config(target)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None
    _open(config).close()
    click.echo(f"wrote {target}")
    click.echo(f"created {config.database}")


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--full", is_flag=True, help="Ignore what is known and walk the whole archive.")
@click.option("--no-alerts", is_flag=True, help="Store and match, but alert no one (backfill).")
@click.pass_context
def crawl(ctx: click.Context, sources: tuple[str, ...], full: bool, no_alerts: bool) -> None:
    """Crawl now, in the foreground, then deliver the alerts it raised.

    All enabled sources, or those named. Example: wirewatch crawl libya-analysis --full
    """
    config = _config(ctx)
    _check_sources(config, sources)
    before = _last_run_id(config.database)
    command = _child_command(
        config, list(sources), full=full, no_alerts=no_alerts, verbose=ctx.obj["verbose"]
    )
    # The child starts first: its start-up (Scrapy's imports) then overlaps this process's.
    with subprocess.Popen(command) as child:
        try:
            _open(config).close()  # a bad or too-new database ends the crawl with a clear error
            code = child.wait()
        except BaseException:  # as subprocess.call: an interrupted wait leaves no child behind
            child.kill()
            raise
    if code == 2:
        raise SystemExit(2)
    from alerts.deliver import deliver

    db = _open(config)
    runs = list(db.query("select * from runs where id > ? order by id", [before]))
    report = None if no_alerts else deliver(db, config)
    db.close()
    _print_runs(runs)
    undelivered = report is not None and _print_delivery(report)
    if code != 0 or not runs or any(r["status"] != "ok" for r in runs) or undelivered:
        raise SystemExit(1)


def _print_delivery(report: DeliveryReport) -> bool:
    """Say what a delivery pass did; True when some alert was not delivered."""
    if report.skipped:
        click.echo(f"alerts: not delivered here ({report.skipped})")
        return False
    if report.sent or report.retrying or report.failed or report.held or report.unknown:
        click.echo(
            f"alerts: {report.sent} sent in {report.messages} message(s), "
            f"{report.held} held, {report.retrying} to retry, {report.failed} failed"
            + (f", {report.unknown} unknown" if report.unknown else "")
        )
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    return bool(report.retrying or report.failed or report.unknown)


def _last_run_id(database: Path) -> int:
    """The newest run's id before a crawl: the crawl's runs are those after it.

    Read with plain sqlite3, read-only, before storage is imported: a file not made
    yet, or not a database, has no runs (opening it for the crawl says what is wrong).
    """
    try:
        conn = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute("select coalesce(max(id), 0) from runs").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def _child_command(
    config: Config, sources: list[str], *, full: bool, no_alerts: bool, verbose: int
) -> list[str]:
    """The crawl's child process (a Twisted reactor cannot be restarted)."""
    from scheduler.childcrawl import crawl_command

    level = {0: "WARNING", 1: "INFO"}.get(verbose, "DEBUG")
    return crawl_command(
        config.path,
        sources,
        full=full,
        no_alerts=no_alerts,
        log_level=level,
        progress=sys.stderr.isatty(),
    )


@cli.command()
@click.pass_context
def run(ctx: click.Context) -> None:
    """The daemon: scheduled crawls, alert delivery and retries, digests, in the foreground.

    Stops cleanly on SIGTERM or SIGINT; SIGHUP reloads the config. One per database.
    Example: wirewatch --config /etc/wirewatch/wirewatch.toml run
    """
    from scheduler.daemon import AlreadyRunning, Daemon

    config = _config(ctx)
    _open(config).close()  # a bad or too-new database is refused before anything starts
    try:
        code = Daemon(config, verbose=ctx.obj["verbose"]).run()
    except (AlreadyRunning, ConfigError) as exc:
        raise ConfigProblem(str(exc)) from None
    raise SystemExit(code)


def _print_runs(runs: list[dict[str, Any]]) -> None:
    rows = [
        (
            r["source"],
            r["status"],
            r["pages"],
            r["new_articles"],
            r["new_items"],
            r["errors"],
            r["message"] or "",
        )
        for r in runs
    ]
    _table(("source", "result", "pages", "new articles", "new items", "errors", "note"), rows)


def _redacted(text: str) -> str:
    """``text`` with the config's ``${ENV}`` values masked: a source URL may carry a token
    (``?key=${TOKEN}``), and runs stored before redaction still name it."""
    context = click.get_current_context(silent=True)
    config = context.obj.get("config") if context and context.obj else None
    return mask(text, secret_values(config)) if config else text


def _table(header: tuple[str, ...], rows: list[tuple]) -> None:
    cells = [tuple("" if v is None else _redacted(str(v)) for v in row) for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


@cli.command()
@click.option("--mentions", help="Only items mentioning this watch id.")
@click.option("--source", help="Only items that appeared on this source.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only items dated on or after.")
@click.option("--search", help="Full-text search over item text.")
@click.option("--cluster", type=int, help="Only the items of this cluster.")
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def items(
    ctx: click.Context,
    mentions: str | None,
    source: str | None,
    since: datetime | None,
    search: str | None,
    cluster: int | None,
    limit: int,
    as_json: bool,
) -> None:
    """List what was collected, newest first.

    Example: wirewatch items --source libya-analysis --since 2026-11-01 --search Derna
    """
    import storage

    config = _config(ctx)
    db = _open(config)
    _check_filter(db, "source", source, [s.name for s in config.sources], "articles", "source")
    _check_filter(db, "watch", mentions, [w.id for w in config.watches], "mentions", "watch_id")
    found = storage.list_items(
        db,
        mentions=mentions,
        source=source,
        since=since.date() if since else None,
        search=search,
        cluster=cluster,
        limit=limit,
    )
    db.close()
    for item in found:
        if as_json:
            click.echo(json.dumps(item, ensure_ascii=False, default=str))
        else:
            when = item.get("event_date") or (item.get("published") or "")[:10]
            click.echo(f"{when}  {item['source']}  {item.get('title') or ''}")
            click.echo(f"  {_shorten(item['text'], 160)}")


def _check_filter(
    db, what: str, value: str | None, named: list[str], table: str, column: str
) -> None:
    """Refuse a filter naming nothing the config or the database knows: a typo would
    otherwise list nothing and look like "no items" (exit 2, as a bad option does)."""
    if value is None or value in named:
        return
    if db.execute(f"select 1 from {table} where {column} = ? limit 1", [value]).fetchone():
        return  # a source or watch since removed from the config: its items remain
    db.close()
    known = ", ".join(named) or "none"
    raise ConfigProblem(f"no {what} {value!r} in the config or the database (configured: {known})")


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Each source's last run (when, result, pages, new items, errors) and its next run.

    Example: wirewatch status --json
    """
    import storage
    from scheduler.state import daemon_status

    config = _config(ctx)
    db = _open(config)
    known = {row["name"]: row for row in storage.source_status(db)}
    outbox = storage.outbox_counts(db)
    daemon, planned = daemon_status(db, config)
    warnings = storage.layout_warnings(db)
    db.close()
    rows = [_source_row(source, known.get(source.name, {})) for source in config.sources]
    for row in rows:
        row["warning"] = warnings.get(row["source"])
        if daemon["alive"] and row["source"] in planned:  # it knows its next runs best
            row["next_run"] = planned[row["source"]] or row["next_run"]
    if as_json:
        for row in rows:
            click.echo(_redacted(json.dumps(row, default=str)))
        click.echo(json.dumps({"daemon": daemon}))
        click.echo(json.dumps({"outbox": outbox}))
        return
    header = ("source", "last run", "result", "pages", "new items", "errors", "next run", "note")
    keys = ("source", "last_run", "result", "pages", "new_items", "errors", "next_run", "message")
    _table(header, [tuple(row.get(k) for k in keys) for row in rows])
    click.echo(
        f"alerts: {outbox['pending']} pending, {outbox['failed']} failed, "
        f"{outbox['unknown']} unknown, {outbox['sent']} sent"
    )
    click.echo(f"daemon: {daemon['summary']}")
    for row in rows:
        if row["warning"]:
            click.echo(f"warning: {row['source']}: {row['warning']}")


def _source_row(source, known: dict[str, Any]) -> dict[str, Any]:
    last = known.get("last_run") or {}
    return {
        "source": source.name,
        "enabled": source.enabled,
        "schedule": source.schedule.text,
        "last_run": last.get("started"),
        "result": last.get("status"),
        "pages": last.get("pages"),
        "new_items": last.get("new_items"),
        "errors": last.get("errors"),
        "message": last.get("message"),
        "last_ok": known.get("last_ok"),
        "articles": known.get("articles", 0),
        "items": known.get("items", 0),
        "next_run": _next_run(source, last.get("started")) if source.enabled else None,
    }


def _next_run(source, last_started: str | None) -> str:
    """When the schedule next wants this source, judged from its last run."""
    now = datetime.now(UTC)
    if source.schedule.seconds is not None:
        if not last_started:
            return "due now"
        due = datetime.fromisoformat(last_started) + timedelta(seconds=source.schedule.seconds)
        return "due now" if due <= now else due.isoformat(timespec="seconds")
    from scheduler.triggers import cron_trigger

    trigger = cron_trigger(source.schedule.cron)
    return trigger.get_next_fire_time(None, now).isoformat(timespec="seconds")


@cli.command()
@click.argument("cluster", type=int)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def copies(ctx: click.Context, cluster: int, as_json: bool) -> None:
    """Every copy of one item (a cluster) across sites: where it appeared first, and since.

    Example: wirewatch copies 1042   (the cluster id is in `items --json`)
    """
    import storage

    db = _open(_config(ctx))
    found = storage.cluster_copies(db, cluster)
    db.close()
    if as_json:
        for row in found:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for row in found:
        kind = "copy" if row["dup_of"] else "original"
        click.echo(f"{row['first_seen']}  {row['source']}  {kind}  {row['url']}")
        click.echo(f"  {_shorten(row['text'], 140)}")
    if not found:
        click.echo(f"no cluster {cluster} (cluster ids are in `items --json`)", err=True)
        raise SystemExit(1)


@cli.group(invoke_without_command=True)
@click.option("--pending", is_flag=True, help="Only alerts waiting to be sent.")
@click.option("--failed", is_flag=True, help="Only alerts that failed or whose fate is unknown.")
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def alerts(ctx: click.Context, pending: bool, failed: bool, limit: int, as_json: bool) -> None:
    """The alert outbox, newest first; `alerts retry` re-queues the failed ones.

    Example: wirewatch alerts --failed
    """
    import storage

    if ctx.invoked_subcommand:
        return
    states = [
        *(["pending", "sending"] if pending else []),
        *(["failed", "unknown"] if failed else []),
    ]
    db = _open(_config(ctx))
    rows = storage.list_outbox(db, states=states or None, limit=limit)
    db.close()
    keys = (
        "id",
        "state",
        "subscriber",
        "channel_label",
        "item_id",
        "due",
        "tries",
        "sent",
        "last_error",
    )
    if as_json:
        for row in rows:
            click.echo(json.dumps({k: row[k] for k in (*keys, "cluster", "watch_ids", "created")}))
        return
    header = ("id", "state", "subscriber", "via", "item", "due", "tries", "sent", "error")
    for row in rows:  # Apprise's default options make the label long; the table shows where
        row["channel_label"] = row["channel_label"].split("?", 1)[0]
    _table(header, [tuple(_shorten(str(r[k] or ""), 60) for k in keys) for r in rows])


@alerts.command("retry")
@click.pass_context
def alerts_retry(ctx: click.Context) -> None:
    """Re-queue failed alerts (and those whose delivery is unknown), then deliver.

    Example: wirewatch alerts retry
    """
    import storage
    from alerts.deliver import deliver

    config = _config(ctx.parent)
    db = _open(config)
    queued = storage.retry(db)
    click.echo(f"re-queued {queued} alert(s)")
    report = deliver(db, config)
    db.close()
    if _print_delivery(report):
        raise SystemExit(1)


@cli.command("notify-test")
@click.argument("subscriber")
@click.pass_context
def notify_test(ctx: click.Context, subscriber: str) -> None:
    """Send a test message through each of a subscriber's notify URLs.

    Example: wirewatch notify-test analysts
    """
    from alerts.deliver import Redactor, send_apprise
    from alerts.render import format_for_url, render_test

    config = _config(ctx)
    found = next((s for s in config.subscribers if s.name == subscriber), None)
    if found is None:
        known = ", ".join(s.name for s in config.subscribers) or "none"
        raise ConfigProblem(f"{config.path}: no subscriber named {subscriber!r} (known: {known})")
    failures = 0
    for channel in found.channels:
        fmt = format_for_url(channel.url)
        title, body = render_test(found.name, fmt)
        delivered, error = send_apprise(channel.url, title, body, fmt)
        failures += not delivered
        outcome = "sent" if delivered else f"FAILED: {Redactor(config)(error or '')}"
        click.echo(f"{channel.shown}: {outcome}")
    if failures:
        raise SystemExit(1)


@cli.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only items dated on or after.")
@click.option("--send", is_flag=True, help="Queue and deliver the alerts found.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def rematch(ctx: click.Context, since: datetime | None, send: bool, as_json: bool) -> None:
    """Run the current watchlist over stored items: what would it have caught?

    Example: wirewatch rematch --since 2026-10-21
    """
    from alerts.deliver import deliver
    from alerts.rematch import rematch as run_rematch

    config = _config(ctx)
    db = _open(config)
    found = run_rematch(db, config, since=since.date() if since else None, send=send)
    report = deliver(db, config) if send else None
    db.close()
    for name, items in found.would_alert.items():
        if as_json:
            for item in items:
                click.echo(json.dumps({"subscriber": name, **item}, ensure_ascii=False))
            continue
        click.echo(f"{name}: {len(items)} item(s) would alert")
        for item in items[:20]:
            when = item["event_date"] or (item["published"] or "")[:10]
            click.echo(
                f"  {when}  {item['source']}  [{', '.join(item['watch'])}]  "
                f"{_shorten(item['text'], 100)}"
            )
    if not as_json:
        click.echo(f"{found.items} item(s) looked at, {found.matched} mention a watch")
    if report is not None and _print_delivery(report):
        raise SystemExit(1)


@cli.command()
@click.option("--port", type=int, default=8001, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.pass_context
def ui(ctx: click.Context, port: int, host: str) -> None:
    """Browse and search the database in a browser (Datasette, read-only), with a timeline and map.

    Example: wirewatch ui --port 8001, then open http://127.0.0.1:8001/
    """
    from wirewatch.explore import ui as explore_ui

    config = _config(ctx)
    db = _open(config)
    explore_ui.prepare(db, config)
    db.close()
    click.echo(f"serving {config.database} read-only at http://{host}:{port}/ (Ctrl-C stops)")
    explore_ui.serve(config, host, port)


@cli.command()
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only news dated on or after this day [default: 7 days ago].",
)
@click.option("--all", "all_dates", is_flag=True, help="Every date, not the last week.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default="wirewatch-report.html",
    show_default=True,
    help="HTML file to write.",
)
@click.option("--top", type=int, default=10, show_default=True, help="New clusters to list.")
@click.pass_context
def report(ctx: click.Context, since: datetime | None, all_dates: bool, out: str, top: int) -> None:
    """Write a self-contained HTML report: timeline, map and the top new clusters.

    Example: wirewatch report --since 2026-11-01 --out weekly.html
    """
    from wirewatch.explore.report import render_report

    if all_dates and since:
        raise click.UsageError("--since and --all exclude each other")
    config = _config(ctx)
    if all_dates:
        day = None
    else:
        day = since.date() if since else (datetime.now(UTC) - timedelta(days=7)).date()
    db = _open(config)
    html = render_report(db, config, day, top)
    db.close()
    try:
        Path(out).write_text(html, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot write the report: {exc.strerror}") from None
    click.echo(f"wrote {out}")


def main(argv: list[str] | None = None) -> None:
    """Console script entry point."""
    cli.main(args=argv, prog_name="wirewatch")
