"""Meta refreshes are followed; pages that cannot hold one are passed over unread."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from spiders import settings
from spiders.middlewares import MetaRefresh


class _Spider(Spider):
    name = "refresh-test"


@pytest.fixture
def middleware() -> MetaRefresh:
    crawler = get_crawler(_Spider, {"DOWNLOADER_MIDDLEWARES": settings.DOWNLOADER_MIDDLEWARES})
    crawler.spider = crawler._create_spider()
    return MetaRefresh.from_crawler(crawler)


def _page(head: str, encoding: str = "utf-8") -> HtmlResponse:
    html = f"<html><head><title>Update</title>{head}</head><body><p>Text</p></body></html>"
    return HtmlResponse(
        "https://example.test/old/",
        body=html.encode(encoding),
        encoding=encoding,
        headers={"Content-Type": f"text/html; charset={encoding}"},
    )


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        ('<meta http-equiv="refresh" content="0; url=https://example.test/new/">', "utf-8"),
        ('<META HTTP-EQUIV="Refresh" CONTENT="0;URL=/new/">', "utf-8"),
        # in UTF-16 the attribute's bytes are not ASCII: Scrapy's own check decides
        ('<meta http-equiv="refresh" content="0; url=/new/">', "utf-16-le"),
    ],
)
def test_a_refresh_is_followed(middleware: MetaRefresh, head: str, encoding: str) -> None:
    request = Request("https://example.test/old/")
    followed = middleware.process_response(request, _page(head, encoding))
    assert isinstance(followed, Request)
    assert followed.url == "https://example.test/new/"


def test_a_page_without_http_equiv_is_passed_on_unread(middleware: MetaRefresh) -> None:
    page = _page('<meta charset="utf-8"><meta name="refresh" content="0; url=/new/">')
    assert middleware.process_response(Request("https://example.test/old/"), page) is page
    assert page._cached_ubody is None  # never decoded


def test_scrapys_own_middleware_is_replaced() -> None:
    middlewares = settings.DOWNLOADER_MIDDLEWARES
    assert middlewares["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert middlewares["spiders.middlewares.MetaRefresh"] == 580
