"""Suite-wide fixtures. Area-specific fixtures live in each test folder's conftest."""

from __future__ import annotations
