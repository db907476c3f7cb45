#!/bin/sh
# Installs the Debian packages some tests use, when they are missing and we may install them.
# Tests that need a package still missing skip with a reason naming it.
set -u
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
# The crawler's browser path prefers the UI-less build of the same chromium (half the memory).
[ -x /usr/bin/chromium-headless-shell ] || missing="$missing chromium-headless-shell"
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
# pdfium reads the text of PDFs whose CJK fonts are not embedded only with a CJK system font.
fc-list 2>/dev/null | grep -qi "noto.*cjk" || missing="$missing fonts-noto-cjk"
# OCR of scanned PDFs: tesseract with its Simplified Chinese model (parsers/ocr.py).
command -v tesseract >/dev/null 2>&1 || missing="$missing tesseract-ocr"
[ -f /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] \
  || [ -f /usr/share/tesseract-ocr/4.00/tessdata/chi_sim.traineddata ] \
  || missing="$missing tesseract-ocr-chi-sim"
# .rar attachments: libarchive, loaded by libarchive-c (parsers/archives.py).
ldconfig -p 2>/dev/null | grep -q "libarchive.so.13" || missing="$missing libarchive13"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: not root or no apt-get; tests needing$missing will skip" >&2
  exit 0
fi
echo "system-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
  || echo "system-deps: could not install$missing; those tests will skip" >&2
exit 0
