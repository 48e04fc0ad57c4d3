"""Who may use the admin pages: a login (password hash) or an API token, and CSRF tokens."""

from __future__ import annotations

import hmac
import secrets
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for
from werkzeug.security import check_password_hash

from navette.admin import sessions as admin_sessions
from protocol.dates import utc_now


def _settings():
    return current_app.extensions["navette.settings"]


def token_ok() -> bool:
    """A request carrying the configured API token (``Authorization: Bearer …``)."""
    configured = _settings().admin_token
    header = request.headers.get("Authorization", "")
    if not configured or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer ") :].strip(), configured)


def configured() -> bool:
    settings = _settings()
    return bool(settings.admin_password_hash or settings.admin_token)


def login_ok(user: str, password: str) -> bool:
    settings = _settings()
    if not settings.admin_password_hash:
        return False
    same_user = hmac.compare_digest(user, settings.admin_user)
    return check_password_hash(settings.admin_password_hash, password) and same_user


def logged_in() -> bool:
    """A session cookie whose server-side session is still open."""
    sessions = current_app.extensions["navette.sessions"]
    return admin_sessions.is_open(sessions, session.get("admin"), utc_now())


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Abort with 400 unless the form carries this session's CSRF token (token clients
    send no cookies, so they are not exposed to CSRF)."""
    if token_ok():
        return
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="The form's CSRF token is missing or stale: reload the page.")


def admin_required(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        if not configured():
            abort(
                403,
                description="The admin pages are closed: set NAVETTE_ADMIN_PASSWORD_HASH "
                "or NAVETTE_ADMIN_TOKEN.",
            )
        if token_ok() or logged_in():
            if request.method == "POST":
                check_csrf()
            return view(*args, **kwargs)
        if request.headers.get("Authorization") or request.method != "GET":
            abort(401)
        return redirect(url_for("admin.login", next=request.full_path))

    return guarded
