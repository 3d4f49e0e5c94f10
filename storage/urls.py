"""One canonical form per article URL, so that links with tracking parameters,
a capitalised host or an explicit default port never make a second article.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

#: Query parameters that say where a click came from, never which page it is.
#: Matched case-insensitively; any parameter starting with ``utm_`` goes too.
#: Meaningful ones (``p``, ``page_id``, ``cat``, ``paged``, ``s`` ...) stay.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # X / Twitter
        "igshid",  # Instagram
        "mc_cid",  # Mailchimp
        "mc_eid",
        "_ga",  # Google Analytics cross-domain
        "_gl",
        "_hsenc",  # HubSpot
        "_hsmi",
        "mkt_tok",  # Marketo
        "ref_src",  # Twitter embeds
        "ref_url",
        "spm",
        "replytocom",  # WordPress comment-reply links: the same post again
    }
)
_TRACKING_PREFIXES = ("utm_",)
_DEFAULT_PORTS = {"http": 80, "https": 443}


# A crawl asks for the same URL's form several times (link, known check, ingest):
# w3lib's canonicalisation costs ~60 us, so remember recent answers.
@lru_cache(maxsize=8192)
def canonical_url(url: str) -> str:
    """Return the canonical form of an absolute URL.

    Lower-cases scheme and host, drops the default port, the fragment and the
    tracking parameters (:data:`TRACKING_PARAMS`, ``utm_*``), then lets w3lib sort
    the query and normalise percent-encoding. The path, trailing slash included,
    is kept as given.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return canonicalize_url(urlunsplit((scheme, _netloc(parts, scheme), parts.path, query, "")))


def _is_tracking(pair: str) -> bool:
    name = unquote_plus(pair.partition("=")[0]).lower()
    return name in TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def _netloc(parts: SplitResult, scheme: str) -> str:
    """Return the host part with the host lower-cased and a default port dropped."""
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: leave the host part alone
        return parts.netloc.lower()
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal: urlsplit took the brackets off
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    return f"{userinfo}{at}{host}"
