"""TLS: verify certificates by default (Scrapy's own default accepts any), tolerate on request."""

from __future__ import annotations

from scrapy.core.downloader.contextfactory import (
    BrowserLikeContextFactory,
    ScrapyClientContextFactory,
)


class VerifyingContextFactory:
    """Chooses the verifying or the tolerant factory from XXGK_INSECURE_TLS."""

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        if crawler.settings.getbool("XXGK_INSECURE_TLS"):
            return ScrapyClientContextFactory.from_crawler(crawler, *args, **kwargs)
        return BrowserLikeContextFactory.from_crawler(crawler, *args, **kwargs)
