"""The config the daemon runs on, kept in a file its crawl children read.

A crawl child loads its config from a path. If that path were the live config
file, a bad edit (refused by SIGHUP) would still break every crawl started after
it, and a good edit would take effect before the reload asked for it. So the
daemon copies the file it loaded to ``DATABASE.running.toml`` (beside the
database, which is writable where the config directory may not be) and children
read that copy, with relative paths still resolved against the original file's
directory (``WIREWATCH_CONFIG_DIR``, which the children inherit).
"""

from __future__ import annotations

import os
from pathlib import Path

from wirewatch.config import BASE_ENV_VAR, Config, ConfigError, load_config


def snapshot_path(config: Config) -> Path:
    return Path(f"{config.database}.running.toml")


def snapshot_config(original: Path, config: Config) -> Config:
    """Copy ``original`` (already loaded as ``config``) for the children; the copy's Config.

    :raises ConfigError: the file changed into a bad one since it was loaded; the
        message names ``original``, not the copy.
    """
    target = snapshot_path(config)
    temporary = target.with_name(target.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(original.read_bytes())
    os.replace(temporary, target)  # a child starting now reads the old copy or the new one
    os.environ[BASE_ENV_VAR] = str(original.parent.resolve())
    try:
        return load_config(target)
    except ConfigError as exc:
        raise ConfigError(original, exc.key, exc.problem) from None


def remove_snapshot(config: Config) -> None:
    snapshot_path(config).unlink(missing_ok=True)
