"""Scrapy settings: polite by default (robots.txt, AutoThrottle, 1–2 requests per host)."""

BOT_NAME = "xxgk"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = (
    "xxgk-archive/0.1 (+https://github.com/xxgk-archive/xxgk; archive of university "
    "information-disclosure reports)"
)
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control (an HTTP listener running arbitrary Python for a token, writing job
# files under ~/.local/state/scrapy): never on in a crawl of hostile portals.
REMOTE_CONTROL_ENABLED = False

# Many portals in parallel, each one gently.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 60
DNS_TIMEOUT = 20
# Reports are a few MB; tens of MB happen; anything larger is refused and recorded.
DOWNLOAD_MAXSIZE = 100 * 1024 * 1024
DOWNLOAD_WARNSIZE = 30 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
XXGK_RETRY_BACKOFF_BASE = 2.0  # seconds; doubled on each retry of the same request
XXGK_CHALLENGE_RETRIES = 3

TWISTED_DNS_RESOLVER = "crawler.addresses.PolicyResolver"
XXGK_RESOLVE: list[str] = []
XXGK_ALLOW_PRIVATE_ADDRESSES = False
# Finer than the flag above: internal networks fetched all the same (CIDRs, e.g. 127.0.0.0/8 for
# a loopback mirror); every other internal address stays refused.
XXGK_ALLOWED_NETWORKS: list[str] = []
# True: hosts without a --resolve entry are refused, no DNS at all (offline mirrors, tests).
XXGK_RESOLVE_ONLY = False
# Certificates are verified (failures recorded as TLSError); --insecure-tls turns this off.
DOWNLOAD_VERIFY_CERTIFICATES = True

XXGK_DATA_DIR = "data"
XXGK_REGISTRY = ""
XXGK_PARSE_WORKERS = 2
# Per school and crawl; pages past it are not fetched, each recorded once as `ListPageCap:`.
XXGK_MAX_LIST_PAGES = 200
# Exploration towards a portal's report column: hub pages fetched at most, and how deep.
XXGK_EXPLORE_BUDGET = 8
XXGK_EXPLORE_DEPTH = 2
# Per portal and crawl (crawler/guards.py): past a budget, the portal's further requests are
# refused, the first one recorded as `PortalBudgetExceeded:`. 0 = no budget.
XXGK_MAX_REQUESTS = 20_000
XXGK_MAX_ARTICLES = 5_000
XXGK_MAX_BYTES = 4 * 1024**3
# Article/attachment links followed per school and report year in one crawl (`ReportLinkCap:`).
XXGK_MAX_LINKS_PER_REPORT = 20
# Each parse runs in an isolated worker (archive/isolation.py) with this address-space cap and
# deadline; past them the report gets `DocumentTooLarge:` / `ParseTimeout:`.
XXGK_PARSE_MEMORY_MB = 1024
XXGK_PARSE_TIMEOUT = 150
# False: conditional requests, list pages walked only until a known report (incremental).
XXGK_FULL_CRAWL = False
# The day health checks count as today (ISO date; empty = today): which year's report is due.
XXGK_AS_OF = ""

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.AddressGuardMiddleware": 40,
    "crawler.guards.PortalBudgetMiddleware": 45,
    "crawler.guards.LoggedCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.PoliteRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.LoggedRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.ChallengeMiddleware": 560,
    "crawler.browser_path.BrowserPathMiddleware": 565,
    "crawler.middlewares.EncodingRepairMiddleware": 570,
    "crawler.middlewares.FetchLogMiddleware": 585,
    "crawler.incremental.ConditionalRequestMiddleware": 588,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.politeness.RobotsTxtMiddleware": 100,
}
# The browser path (crawler/browser.py, crawler/browser_path.py): auto = only the pages that
# need a script run, always = every page, never = plain HTTP only. The handler passes every
# other request to Scrapy's HTTP handler and starts no browser until a page needs one.
XXGK_BROWSER = "auto"
XXGK_BROWSER_EXECUTABLE = ""  # empty: chromium on PATH
XXGK_BROWSER_PAGES = 2  # browser pages at a time
XXGK_BROWSER_PAGE_TIMEOUT = 30.0  # seconds for one page to settle
XXGK_BROWSER_MAX_LOADS = 6  # document loads per page (a challenge that reloads for ever)
XXGK_BROWSER_HOSTS: list[str] = []  # hosts always rendered, like a registry row render=browser
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.BrowserDownloadHandler",
    "https": "crawler.browser.BrowserDownloadHandler",
}
PLAYWRIGHT_MAX_CONTEXTS = 1

SPIDER_MIDDLEWARES = {
    "crawler.guards.ReportCapMiddleware": 790,
    # Replaced by PortalBudgetMiddleware's URL check, which records the refusal.
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
}
EXTENSIONS = {
    "crawler.session.ArchiveSession": 100,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ArchivePipeline": 300,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
