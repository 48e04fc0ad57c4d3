"""Settings, read from the environment (the twelve-factor way, as docker-compose sets them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.database import DEFAULT_URL
from catalogue.model import is_web_url
from mappings.formats import FORMATS, published_formats
from mappings.publication import Publication
from schemas import registry


def _int(name: str, default: int, least: int = 1) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise ValueError(f"{name}={value!r} is not a whole number") from error
    if number < least:
        raise ValueError(
            f"{name}={value!r} must be positive"
            if least == 1
            else f"{name}={value!r} is below {least}"
        )
    return number


def _url(name: str) -> str | None:
    value = (os.environ.get(name) or "").strip()
    if not value:
        return None
    if not is_web_url(value):
        raise ValueError(f"{name}={value!r} is not an http(s) URL")
    return value


@dataclass
class Settings:
    """What an operator may set; every field has an environment variable."""

    #: NAVETTE_DATABASE_URL (default: sqlite:///navette.db in the working directory).
    database_url: str = DEFAULT_URL
    #: NAVETTE_REPOSITORY_NAME: Identify's repositoryName.
    repository_name: str = "Navette video library"
    #: NAVETTE_REPOSITORY_ID: the namespace part of oai:<id>:<local> identifiers.
    repository_identifier: str = "navette.example.org"
    #: NAVETTE_ADMIN_EMAIL: one or more addresses, separated by commas.
    admin_emails: list[str] = field(default_factory=lambda: ["admin@navette.example.org"])
    #: NAVETTE_BASE_URL: the endpoint's public URL; derived from each request when unset.
    base_url: str | None = None
    #: NAVETTE_SECRET_KEY: signs resumption tokens; kept in the database when unset.
    secret_key: str | None = None
    #: NAVETTE_PAGE_SIZE / NAVETTE_IDENTIFIERS_PAGE_SIZE: list page sizes.
    page_size: int = 100
    identifiers_page_size: int = 500
    #: NAVETTE_TOKEN_LIFETIME: seconds a resumption token stays valid.
    token_lifetime: int = 24 * 3600
    #: NAVETTE_ADMIN_USER / NAVETTE_ADMIN_PASSWORD_HASH (from `navette admin hash-password`):
    #: the admin login; NAVETTE_ADMIN_TOKEN: an API token. Neither set: /admin is closed.
    admin_user: str = "admin"
    admin_password_hash: str | None = None
    admin_token: str | None = None
    #: NAVETTE_ADMIN_SESSION_MINUTES: how long an admin login lasts.
    admin_session_minutes: int = 480
    #: NAVETTE_SESSION_COOKIE_SECURE: "auto" (Secure when the request came over HTTPS, as
    #: a trusted proxy says), "on" or "off".
    session_cookie_secure: str = "auto"
    #: NAVETTE_TRUSTED_PROXIES: how many reverse proxies stand in front (their
    #: X-Forwarded-For/-Proto are believed); 0 believes none.
    trusted_proxies: int = 0
    #: NAVETTE_LOG_LEVEL (DEBUG, INFO, WARNING, ERROR) and NAVETTE_LOG_FORMAT (text, json).
    log_level: str = "INFO"
    log_format: str = "text"
    #: NAVETTE_PUBLIC_URL: the public site's root (records' landing pages live under
    #: /records/); default: NAVETTE_BASE_URL without its /oai.
    public_url: str | None = None
    #: NAVETTE_DEFAULT_RIGHTS: the rights statement URI (rightsstatements.org, Creative
    #: Commons) of records that state none; unset: such records are not sent to Europeana.
    default_rights: str | None = None
    #: NAVETTE_FORMATS: the metadata prefixes served, separated by commas (oai_dc among
    #: them); None: all five.  Records are rendered only in these.
    formats: tuple[str, ...] | None = None
    #: NAVETTE_HARVEST_MAX_PAGE_MB / NAVETTE_HARVEST_MAX_INFLATED_MB: the most one response
    #: of a partner may weigh on the wire and once inflated from gzip or deflate.
    harvest_max_page_mb: int = 64
    harvest_max_inflated_mb: int = 64
    #: NAVETTE_HARVEST_PAGE_DEADLINE: seconds one response may take, first byte to last.
    harvest_page_deadline: int = 300
    #: NAVETTE_HARVEST_ATTEMPTS: tries of one request before the harvest fails (checkpoint kept).
    harvest_attempts: int = 6
    #: NAVETTE_HARVEST_WORKERS: processes mapping harvested records (0 or 1: the harvest's
    #: own process); unset: one per core.
    harvest_workers: int | None = None
    #: NAVETTE_HARVEST_ALLOWED_NETWORKS: address ranges (10.0.0.0/8, 127.0.0.1, ::1, ...)
    #: the harvester may connect to besides public addresses; loopback, private and
    #: link-local addresses are refused unless listed here.
    harvest_allowed_networks: str = ""
    #: NAVETTE_SCHEMA_DIR: the folder of the official XSDs; unset: the user cache that
    #: `navette schemas fetch` fills, under XDG_CACHE_HOME (default ~/.cache).
    schema_dir: str | None = None
    cache_home: str | None = None
    #: NAVETTE_READ_AHEAD (on, off): read a list's next page while the harvester receives
    #: this one (oai.read_ahead).  Unset: on under `navette serve`, where one process
    #: answers every request; off elsewhere, since behind several worker processes the
    #: next request seldom reaches the one that read ahead.
    read_ahead: bool | None = None
    #: NAVETTE_SITE_TEXT: a few sentences the public home page opens with.
    site_text: str | None = None
    #: NAVETTE_LOGO_URL: the library's logo on the public pages (an http(s) URL).
    logo_url: str | None = None
    #: NAVETTE_USAGE_DAYS: days the count of OAI requests per client (address and
    #: User-Agent) is kept, for the admin's "who harvests us" page; 0 counts nothing.
    usage_days: int = 90
    #: NAVETTE_USAGE_WRITE_SECONDS: how often each process writes its counts to the store.
    usage_write_seconds: int = 10
    #: NAVETTE_METRICS_OPEN (on, off): /metrics answers anyone; off: only a request
    #: carrying NAVETTE_ADMIN_TOKEN (Authorization: Bearer ...).
    metrics_open: bool = False
    #: NAVETTE_DUMP_DIR: where `navette dump` and the worker keep the ResourceSync
    #: Resource Dumps (one ZIP per format) that the service offers for download.
    dump_dir: str = "dumps"

    def schema_location(self) -> registry.Location:
        return registry.Location(
            folder=Path(self.schema_dir) if self.schema_dir else None,
            cache_home=Path(self.cache_home) if self.cache_home else None,
        )

    def publication(self, fallback_site: str | None = None) -> Publication:
        """What records are published with: landing pages, default rights, provider."""
        site = self.public_url
        if site is None and self.base_url:
            site = self.base_url.rstrip("/").removesuffix("/oai")
        return Publication(
            site_url=(site or fallback_site or "").rstrip("/") or None,
            default_rights=self.default_rights,
            provider=self.repository_name,
            formats=self.formats,
        )

    def served_formats(self) -> list[str]:
        """The metadata prefixes the provider answers for, in Navette's order."""
        return [prefix for prefix in FORMATS if self.publication().publishes(prefix)]

    def fetcher(self):
        """The harvester's HTTP client, bounded as these settings say."""
        from harvester.fetch import MIB, Fetcher, Limits, RetryPolicy
        from harvester.reach import Reach

        limits = Limits(
            max_page_bytes=self.harvest_max_page_mb * MIB,
            max_inflated_bytes=self.harvest_max_inflated_mb * MIB,
            page_deadline=float(self.harvest_page_deadline),
        )
        return Fetcher(
            RetryPolicy(attempts=self.harvest_attempts),
            limits=limits,
            reach=Reach.parse(self.harvest_allowed_networks),
        )

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        settings = cls()
        settings.repository_name = env("NAVETTE_REPOSITORY_NAME") or settings.repository_name
        settings.repository_identifier = (
            env("NAVETTE_REPOSITORY_ID") or settings.repository_identifier
        )
        emails = env("NAVETTE_ADMIN_EMAIL")
        if emails:
            settings.admin_emails = [e.strip() for e in emails.split(",") if e.strip()]
        settings.database_url = env("NAVETTE_DATABASE_URL") or DEFAULT_URL
        workers = (env("NAVETTE_HARVEST_WORKERS") or "").strip()
        if workers and not workers.isdigit():
            raise ValueError(f"NAVETTE_HARVEST_WORKERS={workers!r} is not a whole number")
        settings.harvest_workers = int(workers) if workers else None
        settings.harvest_allowed_networks = env("NAVETTE_HARVEST_ALLOWED_NETWORKS") or ""
        from harvester.reach import Reach

        Reach.parse(settings.harvest_allowed_networks)
        settings.schema_dir = env("NAVETTE_SCHEMA_DIR") or None
        settings.dump_dir = env("NAVETTE_DUMP_DIR") or settings.dump_dir
        settings.cache_home = env("XDG_CACHE_HOME") or None
        settings.base_url = _url("NAVETTE_BASE_URL")
        settings.public_url = _url("NAVETTE_PUBLIC_URL")
        settings.default_rights = _url("NAVETTE_DEFAULT_RIGHTS")
        settings.logo_url = _url("NAVETTE_LOGO_URL")
        settings.site_text = (env("NAVETTE_SITE_TEXT") or "").strip() or None
        formats = env("NAVETTE_FORMATS")
        settings.formats = published_formats(formats) if formats is not None else None
        settings.secret_key = env("NAVETTE_SECRET_KEY") or None
        settings.page_size = _int("NAVETTE_PAGE_SIZE", settings.page_size)
        settings.identifiers_page_size = _int(
            "NAVETTE_IDENTIFIERS_PAGE_SIZE", settings.identifiers_page_size
        )
        settings.token_lifetime = _int("NAVETTE_TOKEN_LIFETIME", settings.token_lifetime)
        settings.admin_user = env("NAVETTE_ADMIN_USER") or settings.admin_user
        settings.admin_password_hash = env("NAVETTE_ADMIN_PASSWORD_HASH") or None
        settings.admin_token = env("NAVETTE_ADMIN_TOKEN") or None
        level = (env("NAVETTE_LOG_LEVEL") or settings.log_level).strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError(f"NAVETTE_LOG_LEVEL={level!r} is not DEBUG, INFO, WARNING or ERROR")
        settings.log_level = level
        form = (env("NAVETTE_LOG_FORMAT") or settings.log_format).strip().lower()
        if form not in ("text", "json"):
            raise ValueError(f"NAVETTE_LOG_FORMAT={form!r} is not text or json")
        settings.log_format = form
        settings.admin_session_minutes = _int(
            "NAVETTE_ADMIN_SESSION_MINUTES", settings.admin_session_minutes
        )
        secure = (env("NAVETTE_SESSION_COOKIE_SECURE") or "auto").strip().lower()
        if secure not in ("auto", "on", "off"):
            raise ValueError(f"NAVETTE_SESSION_COOKIE_SECURE={secure!r} is not auto, on or off")
        settings.session_cookie_secure = secure
        ahead = (env("NAVETTE_READ_AHEAD") or "").strip().lower()
        if ahead not in ("", "on", "off"):
            raise ValueError(f"NAVETTE_READ_AHEAD={ahead!r} is not on or off")
        settings.read_ahead = {"on": True, "off": False}.get(ahead)
        metrics = (env("NAVETTE_METRICS_OPEN") or "off").strip().lower()
        if metrics not in ("on", "off"):
            raise ValueError(f"NAVETTE_METRICS_OPEN={metrics!r} is not on or off")
        settings.metrics_open = metrics == "on"
        proxies = env("NAVETTE_TRUSTED_PROXIES") or "0"
        if not proxies.isdigit():
            raise ValueError(f"NAVETTE_TRUSTED_PROXIES={proxies!r} is not a whole number")
        settings.trusted_proxies = int(proxies)
        for name in (
            "harvest_max_page_mb",
            "harvest_max_inflated_mb",
            "harvest_page_deadline",
            "harvest_attempts",
        ):
            setattr(settings, name, _int(f"NAVETTE_{name.upper()}", getattr(settings, name)))
        for name in ("usage_days", "usage_write_seconds"):
            # 0 is meaningful: no counting, or each answer's count written at once.
            setattr(settings, name, _int(f"NAVETTE_{name.upper()}", getattr(settings, name), 0))
        return settings
