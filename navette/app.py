"""The Flask application factory: the OAI endpoint wired to the store of record."""

from __future__ import annotations

import gc
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from catalogue.browse_index import BrowseIndex
from catalogue.commits import CommitWatch, can_watch
from catalogue.database import close_reads, open_reads, open_store
from catalogue.tables import Setting
from navette import i18n
from navette.admin import blueprint as admin_blueprint
from navette.config import Settings
from navette.operations import blueprint as operations_blueprint
from navette.public_host import PublicHost
from navette.tolerant_request import TolerantRequest
from oai import usage
from oai.provider import ProviderConfig
from oai.read_ahead import ReadAhead, list_reader
from oai.tokens import Tokens
from oai.views import blueprint as oai_blueprint
from pages import blueprint as pages_blueprint
from resourcesync import blueprint as resourcesync_blueprint
from schemas import registry

SECRET_NAME = "oai-token-key"

#: Only the OAI browser view (its XSL stylesheet) and the admin pages (a source's page
#: follows its harvest) run script, and only our own files.  No inline script
#: and no ``javascript:`` link runs anywhere; nothing frames our pages.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src {script}; connect-src 'self'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' http: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class AdminCookies(SecureCookieSessionInterface):
    """The session cookie, marked Secure as configured ("auto": when the request is HTTPS)."""

    def __init__(self, secure: str) -> None:
        self.secure = secure

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure if self.secure == "auto" else self.secure == "on"

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """No cookie, an empty session, without building the signer first: harvesters
        send none, and every OAI page would otherwise pay for a key derivation."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def security_headers(response: Response) -> Response:
    script = "'self'" if request.blueprint in ("oai", "admin") else "'none'"
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY.format(script=script))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    return response


def token_secret(sessions: sessionmaker[Session], configured: str | None) -> str:
    """The key that signs resumption tokens: configured, or made once and kept in the database.

    Kept in the database so that every process and every restart signs alike.
    """
    if configured:
        return configured
    query = select(Setting.value).where(Setting.name == SECRET_NAME)
    with sessions() as session:
        stored = session.scalar(query)
    if stored:
        return stored
    try:
        with sessions.begin() as session:
            session.add(Setting(name=SECRET_NAME, value=secrets.token_urlsafe(32)))
    except IntegrityError:
        pass  # another process made it first: read theirs
    with sessions() as session:
        return session.scalar(query)


@dataclass
class OAIState:
    """What the OAI blueprint needs from the app (``app.extensions['navette.oai']``)."""

    config: ProviderConfig
    sessions: sessionmaker[Session]
    secret: str
    lifetime: int
    base_url: str | None
    #: Sessions for a resumed list page, which one statement reads (``open_reads``).
    reads: sessionmaker[Session]
    #: Lists' next pages read ahead (NAVETTE_READ_AHEAD); None: read when asked for.
    read_ahead: ReadAhead | None = None
    #: Requests counted per client and day (NAVETTE_USAGE_DAYS); None: not counted.
    usage: usage.Counter | None = None

    def tokens(self) -> Tokens:
        return Tokens(self.secret, self.lifetime)


def create_app(settings: Settings | None = None) -> Flask:
    """The whole service; without ``settings``, as the environment sets it (a WSGI
    server's entry point), the schema folder included."""
    if settings is None:
        settings = Settings.from_env()
        registry.configure(settings.schema_location())
    app = Flask(__name__)
    app.request_class = TolerantRequest
    sessions = open_store(settings.database_url)
    app.extensions["navette.sessions"] = sessions
    state = app.extensions["navette.oai"] = OAIState(
        config=ProviderConfig(
            repository_name=settings.repository_name,
            repository_identifier=settings.repository_identifier,
            admin_emails=settings.admin_emails,
            page_size=settings.page_size,
            identifiers_page_size=settings.identifiers_page_size,
            formats=settings.served_formats(),
        ),
        sessions=sessions,
        secret=token_secret(sessions, settings.secret_key),
        lifetime=settings.token_lifetime,
        base_url=settings.base_url,
        reads=open_reads(sessions),
    )
    if settings.usage_days > 0:
        state.usage = usage.Counter(sessions, settings.usage_write_seconds, settings.usage_days)
    engine = sessions.kw["bind"]
    if settings.read_ahead and can_watch(engine):
        reader = list_reader(state.config, state.tokens)
        state.read_ahead = ReadAhead(state.reads, reader, CommitWatch(engine))
    if can_watch(engine):
        app.extensions["navette.browse"] = BrowseIndex(sessions, CommitWatch(engine))
    app.register_blueprint(oai_blueprint, url_prefix="/oai")
    app.extensions["navette.settings"] = settings
    # Sessions are signed with a key of their own, derived from the stored secret.
    app.secret_key = hashlib.sha256(b"admin-session:" + state.secret.encode()).hexdigest()
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.admin_session_minutes),
    )
    app.session_interface = AdminCookies(settings.session_cookie_secure)
    public = settings.public_url or settings.base_url
    if public:
        # Inside ProxyFix: what a proxy forwards cannot move the configured address.
        app.wsgi_app = PublicHost(app.wsgi_app, public)
    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.register_blueprint(admin_blueprint, url_prefix="/admin")
    app.register_blueprint(pages_blueprint)
    app.register_blueprint(operations_blueprint)
    app.register_blueprint(resourcesync_blueprint)
    i18n.install(app)

    app.after_request(security_headers)

    return app


def close_app(app: Flask) -> None:
    """Close the app's connections to the store (tests, and tools that make an app for
    a while)."""
    state = app.extensions["navette.oai"]
    if state.usage is not None:
        state.usage.write()
    browse = app.extensions.get("navette.browse")
    if browse is not None:
        browse.close()
    close_reads(state.reads, state.sessions)
    state.sessions.kw["bind"].dispose()


def freeze_startup_objects() -> None:
    """Leave what start-up made (the app, the tables' metadata, compiled schemas and
    statements: about 90,000 objects that live as long as the process) out of every
    later garbage collection.  A list page makes thousands of short-lived objects, so
    the collector runs every few pages, and each full collection walked all of these:
    about 6 % of a 1,000-record page (docs/performance.md)."""
    gc.freeze()
