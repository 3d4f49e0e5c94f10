"""Loading and validating the TOML config file.

Every key the file may hold is declared once in :data:`SETTINGS`, with its parser,
default and help text; the README's config reference is checked against it by a
test. A bad file raises :class:`ConfigError` naming the file, the key and the
problem, before anything runs.

This module is a leaf: it imports no other wirewatch package, so spiders started
by ``scrapy crawl`` can read the config without pulling in the command line.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from wirewatch import values
from wirewatch.values import Digest, Schedule

ENV_VAR = "WIREWATCH_CONFIG"
#: Relative paths resolve against this directory instead of the config file's own: the
#: daemon sets it for crawl children, which read its snapshot of the config (see scheduler).
BASE_ENV_VAR = "WIREWATCH_CONFIG_DIR"
LOCAL_NAME = "wirewatch.toml"
DEFAULT_CONFIG = Path(__file__).with_name("default.toml")
STARTER_CONFIG = Path(__file__).with_name("starter.toml")
_REQUIRED = object()
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def mask_url(url: str) -> str:
    """A URL as written in the config, with any password in it replaced by ****."""
    return re.sub(r"(://[^:/@\s]+:)[^@/\s]+@", r"\1****@", url)


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, key and problem."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path, self.key, self.problem = str(path), key, problem
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(where + problem)


@dataclass(frozen=True)
class Key:
    """One config key: how to parse it, its default, and what it is for."""

    name: str
    parse: Callable[[Any], Any]
    default: Any = _REQUIRED
    help: str = ""


def _kinds(*allowed: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    return parse


SETTINGS: dict[str, list[Key]] = {
    "storage": [
        Key("database", values.string, None, "SQLite file; default: the user data directory"),
    ],
    "crawl": [
        Key(
            "user_agent",
            values.string,
            "wirewatch/0.1 (+https://github.com/wirewatch)",
            "User-Agent sent with every request; name a contact",
        ),
        Key("obey_robots", values.boolean, True, "obey robots.txt"),
        Key("concurrency", values.positive_int, 8, "concurrent requests per crawl"),
        Key("delay", values.duration, "1s", 'pause between requests to one site ("0s" for tests)'),
        Key("autothrottle", values.boolean, True, "Scrapy's AutoThrottle on top of the delay"),
        Key("timeout", values.duration, "30s", "per request"),
        Key("max_pages", values.positive_int, 2000, "pages per source per run, a safety bound"),
        Key("retries", values.positive_int, 3, "retries of a request on 429, 5xx or a timeout"),
        Key(
            "max_retry_after",
            values.duration,
            "5m",
            "longest Retry-After honoured; longer ones are capped",
        ),
        Key(
            "max_page_size", values.positive_int, 10_000_000, "bytes; larger responses are dropped"
        ),
        Key(
            "time_limit",
            values.duration,
            "30m",
            "longest one scheduled crawl may run; the daemon stops it then (run status timeout)",
        ),
    ],
    "source": [
        Key("name", values.name, _REQUIRED, "unique; used on the command line"),
        Key("url", values.http_url, _REQUIRED, "site root or a category page"),
        Key(
            "kind",
            _kinds("auto", "wordpress", "feed", "sitemap", "html"),
            "auto",
            "auto | wordpress | feed | sitemap | html",
        ),
        Key(
            "schedule",
            values.schedule,
            "every 6h",
            '"every 45s" / "every 30m" / "every 2h" / a 5-field cron "0 7 * * mon"',
        ),
        Key("enabled", values.boolean, True, "false keeps the source in the config but idle"),
        Key("max_pages", values.positive_int, None, "overrides [crawl] max_pages"),
        Key(
            "allowed_domains",
            values.string_list,
            None,
            "hosts the crawl may visit; default: the url's host",
        ),
        Key("feed", values.http_url, None, "feed URL, when auto-discovery cannot find it"),
        Key("sitemap", values.http_url, None, "sitemap URL, when auto-discovery cannot find it"),
        Key("time_limit", values.duration, None, "overrides [crawl] time_limit"),
    ],
    "source.selectors": [
        Key("body", values.string, None, "CSS: the article body"),
        Key("title", values.string, None, "CSS: the article title"),
        Key("published", values.string, None, "CSS: the element holding the publication date"),
        Key("author", values.string, None, "CSS: the author's name"),
        Key("links", values.string, None, "CSS: article links on a listing page"),
        Key("next", values.string, None, "CSS: the link to the next (older) listing page"),
    ],
    "watch": [
        Key("id", values.name, _REQUIRED, "unique; used by subscribers and --mentions"),
        Key("kind", _kinds("actor", "place", "topic"), "topic", "actor | place | topic"),
        Key("names", values.string_list, [], "case-insensitive, whole words"),
        Key("acronyms", values.string_list, [], "case-sensitive, whole words"),
        Key("lat", values.latitude, None, "place latitude, for maps"),
        Key("lon", values.longitude, None, "place longitude, for maps"),
    ],
    "subscriber": [
        Key("name", values.name, _REQUIRED, "unique; used by notify-test"),
        Key("notify", values.string_list, _REQUIRED, "Apprise URLs; secrets from ${ENV}"),
        Key("watch", values.string_list, ["*"], 'watch ids, or ["*"]'),
        Key(
            "digest",
            values.digest,
            "instant",
            '"instant" | "daily 07:00" | "weekly mon 07:00"',
        ),
        Key("quiet_hours", values.time_range, None, '"22:00-06:00": alerts wait, then go as one'),
        Key("max_per_hour", values.positive_int, None, "beyond it, alerts fold into a digest"),
    ],
    "ops": [
        Key("notify", values.string_list, [], "Apprise URLs for service problems"),
        Key(
            "failures_before_alert",
            values.positive_int,
            3,
            "consecutive failed runs of a source before ops hear of it",
        ),
    ],
    "daemon": [
        Key(
            "delivery_interval", values.duration, "30s", "how often pending and retrying alerts go"
        ),
        Key(
            "stop_grace", values.duration, "10s", "on SIGTERM: how long a running crawl may finish"
        ),
        Key(
            "heartbeat", values.duration, "10s", "how often the daemon tells the database it lives"
        ),
        Key(
            "jitter", values.duration, "1m", "random delay per scheduled crawl, at most 1/10 of it"
        ),
        Key(
            "misfire_grace",
            values.duration,
            "1h",
            "a run late by more (e.g. after a suspend) skips",
        ),
        Key("parallel_crawls", values.positive_int, 2, "crawl processes at once"),
        Key("log_format", _kinds("text", "json"), "text", 'log lines on stderr: "text" or "json"'),
    ],
}


@dataclass(frozen=True)
class Selectors:
    """Per-source CSS overrides of what auto-detection finds."""

    body: str | None = None
    title: str | None = None
    published: str | None = None
    author: str | None = None
    links: str | None = None
    next: str | None = None


@dataclass(frozen=True)
class Source:
    """One site to crawl."""

    name: str
    url: str
    kind: str
    schedule: Schedule
    enabled: bool
    max_pages: int | None
    allowed_domains: list[str] | None
    feed: str | None
    sitemap: str | None
    selectors: Selectors
    time_limit: float | None = None

    @property
    def domains(self) -> list[str]:
        """Hosts the crawl may visit: the configured ones, else the start URL's host.

        A leading "www." is dropped so that a redirect between www.example.org and
        example.org (Scrapy allows subdomains of an allowed domain) stays on site.
        """
        if self.allowed_domains:
            return self.allowed_domains
        host = urlsplit(self.url).hostname or ""
        return [host.removeprefix("www.")]


@dataclass(frozen=True)
class Watch:
    """An actor, place or topic whose mentions subscribers want to hear of."""

    id: str
    kind: str
    names: list[str]
    acronyms: list[str]
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Channel:
    """One notify URL. ``url`` holds secrets: never print it; ``shown`` is safe to print.

    ``key`` is a hash of the URL as the config file writes it, before ${ENV}
    expansion: stable when a password rotates, and no secret goes into the database.
    """

    key: str
    url: str
    shown: str


@dataclass(frozen=True)
class Subscriber:
    """Who is told of which watches, through which Apprise URLs, and how often."""

    name: str
    notify: list[str]
    watch: list[str]
    digest: Digest
    quiet_hours: tuple | None
    max_per_hour: int | None
    channels: list[Channel] = field(default_factory=list)


@dataclass(frozen=True)
class Crawl:
    """Settings every crawl shares."""

    user_agent: str
    obey_robots: bool
    concurrency: int
    delay: float
    autothrottle: bool
    timeout: float
    max_pages: int
    retries: int
    max_retry_after: float
    max_page_size: int
    time_limit: float = 1800.0


@dataclass(frozen=True)
class Daemon:
    """How ``wirewatch run`` schedules, delivers, stops and logs."""

    delivery_interval: float = 30.0
    stop_grace: float = 10.0
    heartbeat: float = 10.0
    jitter: float = 60.0
    misfire_grace: float = 3600.0
    parallel_crawls: int = 2
    log_format: str = "text"


@dataclass(frozen=True)
class Ops:
    """Who hears about the service itself."""

    notify: list[str]
    failures_before_alert: int
    channels: list[Channel] = field(default_factory=list)


@dataclass(frozen=True)
class Config:
    """A loaded, validated config file."""

    path: Path
    database: Path
    crawl: Crawl
    sources: list[Source]
    watches: list[Watch]
    subscribers: list[Subscriber]
    ops: Ops
    env_used: list[str] = field(default_factory=list)
    daemon: Daemon = field(default_factory=Daemon)

    def source(self, name: str) -> Source:
        """The source called ``name``; KeyError names the known ones."""
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise KeyError(f"no source named {name!r} (known: {known})")


def find_config(explicit: str | Path | None = None) -> Path:
    """The config to use: --config, $WIREWATCH_CONFIG, ./wirewatch.toml, or the packaged one."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    local = Path.cwd() / LOCAL_NAME
    return local if local.exists() else DEFAULT_CONFIG


def load_config(explicit: str | Path | None = None) -> Config:
    """Read, expand and validate the config; ConfigError says what is wrong and where."""
    path = find_config(explicit)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "", "config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read the file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from None
    base = os.environ.get(BASE_ENV_VAR)
    return _Loader(path, Path(base) if base else None).build(raw)


def default_database() -> Path:
    """Where the database lives when the config does not say: the user data directory."""
    import platformdirs

    return Path(platformdirs.user_data_dir("wirewatch")) / "wirewatch.db"


class _Loader:
    """Turns the raw TOML into a Config, collecting context for error messages."""

    def __init__(self, path: Path, base: Path | None = None) -> None:
        self.path = path
        self.base = base or path.parent
        self.env_used: list[str] = []

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, key, problem)

    def build(self, raw: dict[str, Any]) -> Config:
        written = raw
        raw = self.expand(raw, "")
        allowed = {"storage", "crawl", "source", "watch", "subscriber", "ops", "daemon"}
        for key in raw:
            if key not in allowed:
                raise self.fail(key, f"unknown section (known: {', '.join(sorted(allowed))})")
        storage = self.table(raw.get("storage", {}), "storage", "storage")
        crawl = Crawl(**self.table(raw.get("crawl", {}), "crawl", "crawl"))
        sources = [self.source(s, i) for i, s in enumerate(self.array(raw, "source"))]
        watches = [
            Watch(**self.table(w, "watch", f"watch[{i}]"))
            for i, w in enumerate(self.array(raw, "watch"))
        ]
        subscribers = [
            Subscriber(
                **(fields := self.table(s, "subscriber", f"subscriber[{i}]")),
                channels=self.channels(
                    fields["notify"], written["subscriber"][i]["notify"], f"subscriber[{i}]"
                ),
            )
            for i, s in enumerate(self.array(raw, "subscriber"))
        ]
        ops_fields = self.table(raw.get("ops", {}), "ops", "ops")
        ops = Ops(
            **ops_fields,
            channels=self.channels(
                ops_fields["notify"], written.get("ops", {}).get("notify", []), "ops"
            ),
        )
        self.check_unique("source", [s.name for s in sources], "name")
        self.check_unique("watch", [w.id for w in watches], "id")
        self.check_unique("subscriber", [s.name for s in subscribers], "name")
        self.check_watches(watches)
        self.check_subscriptions(subscribers, {w.id for w in watches})
        return Config(
            path=self.path,
            database=self.database(storage["database"]),
            crawl=crawl,
            sources=sources,
            watches=watches,
            subscribers=subscribers,
            ops=ops,
            env_used=self.env_used,
            daemon=Daemon(**self.table(raw.get("daemon", {}), "daemon", "daemon")),
        )

    def expand(self, value: Any, key: str) -> Any:
        """Replace ${NAME} in every string from the environment; a missing one is an error."""
        if isinstance(value, str):
            return _ENV_REF.sub(lambda m: self.env(m.group(1), key), value)
        if isinstance(value, list):
            return [self.expand(v, f"{key}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {k: self.expand(v, f"{key}.{k}" if key else k) for k, v in value.items()}
        return value

    def env(self, name: str, key: str) -> str:
        if name not in os.environ:
            raise self.fail(key, f"environment variable ${{{name}}} is not set")
        self.env_used.append(name)
        return os.environ[name]

    def array(self, raw: dict[str, Any], section: str) -> list[dict[str, Any]]:
        entries = raw.get(section, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise self.fail(section, f"expected [[{section}]] tables")
        return entries

    def table(self, raw: Any, section: str, where: str) -> dict[str, Any]:
        """Parse one table against its registry entry: unknown keys and bad values are errors."""
        if not isinstance(raw, dict):
            raise self.fail(where, f"expected a [{section}] table")
        keys = {k.name: k for k in SETTINGS[section]}
        nested = {n.split(".", 1)[1] for n in SETTINGS if n.startswith(section + ".")}
        for name in raw:
            if name not in keys and name not in nested:
                known = ", ".join(sorted([*keys, *nested]))
                raise self.fail(f"{where}.{name}", f"unknown key (known keys: {known})")
        parsed: dict[str, Any] = {}
        for key in keys.values():
            if key.name not in raw:
                if key.default is _REQUIRED:
                    raise self.fail(f"{where}.{key.name}", "is required")
                # Defaults are written as in the file and parsed the same way.
                parsed[key.name] = None if key.default is None else key.parse(key.default)
                continue
            try:
                parsed[key.name] = key.parse(raw[key.name])
            except ValueError as exc:
                raise self.fail(f"{where}.{key.name}", str(exc)) from None
        return parsed

    def source(self, raw: dict[str, Any], index: int) -> Source:
        label = f"source[{index}]"
        if isinstance(raw.get("name"), str):
            label = f"source[{index}] ({raw['name']})"
        fields = self.table(raw, "source", label)
        selectors = self.table(raw.get("selectors", {}), "source.selectors", f"{label}.selectors")
        return Source(**fields, selectors=Selectors(**selectors))

    def channels(self, urls: list[str], written: Any, where: str) -> list[Channel]:
        """Check each notify URL with Apprise; key each by its unexpanded form."""
        if not urls:
            return []
        import apprise  # only configs with notify URLs pay for it

        written = [written] if isinstance(written, str) else list(written)
        found = []
        for i, (url, as_written) in enumerate(zip(urls, written, strict=True)):
            plugin = apprise.Apprise.instantiate(url)
            if plugin is None:
                raise self.fail(
                    f"{where}.notify[{i}]",
                    f"not a notification URL Apprise understands: {mask_url(as_written)}",
                )
            key = hashlib.sha256(as_written.encode("utf-8")).hexdigest()[:16]
            shown = self.hide_env(plugin.url(privacy=True))
            found.append(Channel(key=key, url=url, shown=shown))
        return found

    def hide_env(self, text: str) -> str:
        """Apprise's privacy form hides passwords, not users or tokens in a path: hide ${ENV}."""
        values = {os.environ.get(n, "") for n in self.env_used}
        for value in sorted((v for v in values if len(v) >= 3), key=len, reverse=True):
            text = text.replace(value, "****").replace(quote(value, safe=""), "****")
        return text

    def check_unique(self, section: str, names: list[str], key: str) -> None:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                raise self.fail(f"{section}[{i}].{key}", f"duplicate {key} {name!r}")
            seen.add(name)

    def check_watches(self, watches: list[Watch]) -> None:
        for i, watch in enumerate(watches):
            if not watch.names and not watch.acronyms:
                raise self.fail(f"watch[{i}] ({watch.id})", "needs at least one name or acronym")
            if (watch.lat is None) != (watch.lon is None):
                raise self.fail(f"watch[{i}] ({watch.id})", "give both lat and lon, or neither")

    def check_subscriptions(self, subscribers: list[Subscriber], watch_ids: set[str]) -> None:
        for i, sub in enumerate(subscribers):
            for wid in sub.watch:
                if wid != "*" and wid not in watch_ids:
                    raise self.fail(
                        f"subscriber[{i}] ({sub.name}).watch", f"no [[watch]] with id {wid!r}"
                    )

    def database(self, configured: str | None) -> Path:
        if configured is None:
            return default_database()
        path = Path(configured).expanduser()
        return path if path.is_absolute() else (self.base / path).resolve()
