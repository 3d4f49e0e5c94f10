"""A fixture website for wirewatch's tests and benchmarks: three realistic sites on loopback.

``make_sites()`` builds the origin WordPress blog (A), a WordPress republisher (B)
and a plain news site (C); ``make_bench_site()`` a large theme-A site. Every page is
rendered from a content model (:mod:`.content`) that is also the ground truth: the
paragraphs each article must yield, where republished paragraphs came from, and the
boilerplate that must never become an item.
"""

from .content import (
    Comment,
    ParaOrigin,
    Post,
    Section,
    Writer,
    generate_site_posts,
    reference_normalise,
    straighten,
    texturize,
)
from .factory import Sites, make_bench_site, make_site_a, make_site_b, make_site_c, make_sites
from .faults import FaultRule
from .republish import Style, republish
from .server import ExpectedArticle, FixtureSite, RequestRecord

__all__ = [
    "Comment",
    "ExpectedArticle",
    "FaultRule",
    "FixtureSite",
    "ParaOrigin",
    "Post",
    "RequestRecord",
    "Section",
    "Sites",
    "Style",
    "Writer",
    "generate_site_posts",
    "make_bench_site",
    "make_site_a",
    "make_site_b",
    "make_site_c",
    "make_sites",
    "reference_normalise",
    "republish",
    "straighten",
    "texturize",
]
