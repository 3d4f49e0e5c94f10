"""Config loading: defaults, ${ENV} expansion, and errors that name file, key and problem."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirewatch import config as cfg
from wirewatch.cli import cli

MINIMAL = """
[storage]
database = "data/ww.db"

[[source]]
name = "origin"
url = "http://127.0.0.1:9/"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wirewatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_config_gets_defaults_and_relative_database(tmp_path):
    """A config with one source gets every default, and its database path is relative to it."""
    loaded = cfg.load_config(write(tmp_path, MINIMAL))
    assert loaded.database == (tmp_path / "data" / "ww.db").resolve()
    assert loaded.crawl.concurrency == 8 and loaded.crawl.delay == 1.0
    assert loaded.sources[0].kind == "auto"
    assert loaded.sources[0].schedule.seconds == 6 * 3600
    assert loaded.sources[0].domains == ["127.0.0.1"]


BAD_CASES = [
    ("unknown key", MINIMAL + 'colour = "blue"\n', "source[0] (origin).colour", "unknown key"),
    (
        "bad schedule",
        MINIMAL + 'schedule = "every 2 hours"\n',
        "source[0] (origin).schedule",
        "every 2 hours",
    ),
    (
        "bad cron",
        MINIMAL + 'schedule = "61 7 * * mon"\n',
        "source[0] (origin).schedule",
        "61",
    ),
    (
        "bad url",
        MINIMAL.replace("http://127.0.0.1:9/", "ftp://example.org/"),
        "source[0] (origin).url",
        "http",
    ),
    (
        "duplicate name",
        MINIMAL + '[[source]]\nname = "origin"\nurl = "http://127.0.0.1:9/b"\n',
        "source[1].name",
        "duplicate name 'origin'",
    ),
    ("unknown section", MINIMAL + "[alerts]\nx = 1\n", "alerts", "unknown section"),
    ("bad delay", "[crawl]\ndelay = 'soon'\n" + MINIMAL, "crawl.delay", "duration"),
    (
        "missing env",
        MINIMAL + '[[subscriber]]\nname = "a"\nnotify = ["mailto://${WW_TEST_UNSET}@x"]\n',
        "subscriber[0].notify[0]",
        "WW_TEST_UNSET",
    ),
    (
        "unknown watch id",
        MINIMAL + '[[subscriber]]\nname = "a"\nnotify = ["json://x"]\nwatch = ["derna"]\n',
        "subscriber[0] (a).watch",
        "no [[watch]] with id 'derna'",
    ),
    ("bad toml", "[[source]\n", "", "not valid TOML"),
]


@pytest.mark.parametrize(
    ("label", "text", "key", "problem"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_bad_config_names_file_key_and_problem(tmp_path, monkeypatch, label, text, key, problem):
    """Each kind of mistake is refused with the file, the key and what is wrong."""
    monkeypatch.delenv("WW_TEST_UNSET", raising=False)
    path = write(tmp_path, text)
    with pytest.raises(cfg.ConfigError) as caught:
        cfg.load_config(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert key in message
    assert problem in message


def test_bad_config_exits_2_on_the_command_line(tmp_path):
    """The command line refuses a bad config with exit status 2 and the message on stderr."""
    path = write(tmp_path, MINIMAL + "kind = 'rss'\n")
    result = CliRunner().invoke(cli, ["--config", str(path), "status"])
    assert result.exit_code == 2
    assert "source[0] (origin).kind" in result.output and "rss" in result.output


def test_missing_config_file_exits_2(tmp_path):
    """A --config naming no file is refused, naming the path."""
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "nope.toml"), "status"])
    assert result.exit_code == 2
    assert "nope.toml" in result.output and "not found" in result.output


def test_env_expansion(tmp_path, monkeypatch):
    """${NAME} is replaced from the environment in any string."""
    monkeypatch.setenv("WW_HOST", "127.0.0.2")
    loaded = cfg.load_config(write(tmp_path, MINIMAL.replace("127.0.0.1", "${WW_HOST}")))
    assert loaded.sources[0].url == "http://127.0.0.2:9/"
    assert loaded.env_used == ["WW_HOST"]


def test_lookup_order(tmp_path, monkeypatch):
    """--config wins over $WIREWATCH_CONFIG, which wins over ./wirewatch.toml, then the default."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cfg.ENV_VAR, raising=False)
    assert cfg.find_config() == cfg.DEFAULT_CONFIG
    local = write(tmp_path, MINIMAL)
    assert cfg.find_config() == tmp_path / "wirewatch.toml" == local
    monkeypatch.setenv(cfg.ENV_VAR, str(tmp_path / "env.toml"))
    assert cfg.find_config() == tmp_path / "env.toml"
    assert cfg.find_config("explicit.toml") == Path("explicit.toml")


def test_packaged_default_config_is_valid(monkeypatch, tmp_path):
    """The packaged default loads, lists the real sources, keeps its database in the data dir."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    loaded = cfg.load_config(cfg.DEFAULT_CONFIG)
    names = {s.name for s in loaded.sources}
    assert {"libyasecuritymonitor", "libya-analysis", "longwarjournal-libya"} <= names
    assert loaded.database == tmp_path / "xdg" / "wirewatch" / "wirewatch.db"
    assert all((s.schedule.seconds or 3600) >= 3600 for s in loaded.sources)


def test_init_writes_owner_only_starter_and_database(tmp_path):
    """`wirewatch init DIR` writes a valid commented config (mode 0600) and creates the database."""
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ww")])
    assert result.exit_code == 0, result.output
    written = tmp_path / "ww" / "wirewatch.toml"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert written.read_text().count("#") > 10
    assert (tmp_path / "ww" / "wirewatch.db").exists()
    again = CliRunner().invoke(cli, ["init", str(tmp_path / "ww")])
    assert again.exit_code == 1 and "exists" in again.output


def test_every_setting_is_documented_in_the_readme():
    """Each key of the settings registry appears in the README's config reference."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    reference = readme.split("## Configuration", 1)[1]
    for section, keys in cfg.SETTINGS.items():
        for key in keys:
            assert re.search(rf"`{re.escape(key.name)}`", reference), f"[{section}] {key.name}"
