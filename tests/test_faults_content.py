"""Hostile scraped content, crawled for real and alerted by e-mail (HTML) and chat (Markdown).

The page's *text* carries ``<script>``, an ``<img onerror>``, ``javascript:`` links
in HTML and Markdown, Markdown emphasis and images, and ``@channel`` mentions;
its markup adds a real ``javascript:`` link and a script element. In the e-mail
none of it may become an element or a link; in the chat message none of it may
become Markdown, a link or a mention. The text itself still arrives, as text.
"""

from __future__ import annotations

from lxml import html as lxml_html

from tests.crawling import rows, wirewatch, write_config
from tests.hostilesite import HOSTILE_TEXT, HostileSite
from tests.receivers import SmtpReceiver, WebhookReceiver
from tests.test_alerts import WATCHES, subscriber


def test_hostile_scraped_text_is_harmless_in_mail_and_chat(tmp_path):
    with (
        HostileSite(listed=["/p/hostile"]) as site,
        SmtpReceiver() as smtp,
        WebhookReceiver() as hook,
    ):
        chat = f"mmost://127.0.0.1:{hook.port}/abcdefghijkl"
        extra = WATCHES + subscriber("mail", smtp.url(), ["derna"])
        extra += subscriber("chat", chat, ["derna"])
        source = {"url": site.root, "kind": "html"}
        source["selectors"] = {"links": "a.post", "body": ".entry-content"}
        config = write_config(tmp_path, {"h": source}, extra=extra)
        result = wirewatch(config, "crawl")
        assert result.code == 0, result.stdout + result.stderr
        mails = smtp.wait_for(2)
        posts = hook.wait_for(2)

    texts = [r["text"] for r in rows(config, "select text from items order by id")]
    assert texts[0].startswith(HOSTILE_TEXT[0]) and "see more" in texts[0]
    assert "alert(6)" not in " ".join(texts)  # a script element is never text

    for mail in mails:
        doc = lxml_html.fromstring(mail.html)
        assert doc.xpath("//script | //img | //iframe") == []
        hrefs = [a.get("href") for a in doc.xpath("//a[@href]")]
        assert hrefs and all(h.startswith("http://127.0.0.1:") for h in hrefs), hrefs
        assert not any(k.startswith("on") for el in doc.iter() for k in el.attrib)
    shown = " ".join(lxml_html.fromstring(m.html).text_content() for m in mails)
    assert "<script>alert('x')</script>" in shown  # shown as text, not run
    assert "[a link](javascript:alert(1))" in shown

    for post in posts:
        text = post.json["text"]
        assert "](javascript:" not in text and "](http://evil" not in text
        assert "@channel" not in text and "<!channel>" not in text
        assert "**bold**" not in text and "<script>" not in text
    both = " ".join(post.json["text"] for post in posts)
    assert "\\*\\*bold\\*\\*" in both and "@\u200bchannel" in both  # escaped, still there
