"""What the web chat sends to the browser besides its components: the theme, the stylesheet and
the scripts of the programme viewers."""

from __future__ import annotations

import gradio as gr

# A viewer scrolls to its marked passage when it shows one.
SCROLL_JS = """
const scrollToPassage = () => {
  const mark = element.querySelector('mark#passage');
  const body = element.querySelector('.doc-body');
  if (!mark || !body) return;
  const box = element.getBoundingClientRect();
  if (box.top > window.innerHeight || box.bottom < 0) element.scrollIntoView({block: 'start'});
  body.scrollTo({top: mark.offsetTop - body.clientHeight / 3, behavior: 'smooth'});
};
watch('value', scrollToPassage);
setTimeout(scrollToPassage, 300);
"""

# The chat's viewer also listens, once per page, for clicks on "show in programme" links
# (href "#open/<target>/<doc_id>/<start>/<end>") and sends them to Python as its `select` event.
OPEN_LINKS_JS = (
    """
window.ragOpenPassage = trigger;
if (!window.ragOpenLinks) {
  window.ragOpenLinks = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a.open-passage');
    const ref = link && (link.getAttribute('href') || '').split('/').map(decodeURIComponent);
    if (!ref || ref[0] !== '#open' || ref.length !== 5) return;
    event.preventDefault();
    window.ragOpenPassage('select', {where: ref[1], doc: ref[2], start: ref[3], end: ref[4]});
  });
}
"""
    + SCROLL_JS
)

CSS = """
.app-header h1 { margin-bottom: 0.1rem; }
.app-header p { margin-top: 0; color: var(--body-text-color-subdued); }
.status-line { font-size: 0.78rem; color: var(--body-text-color-subdued); }
.status-line code { font-size: 0.75rem; }
mark { background: #fde68a; color: #1f2937; padding: 0 0.1em; border-radius: 3px; }
.cite-cards { margin-top: 0.6rem; display: flex; flex-direction: column; gap: 0.5rem; }
.cite-title { font-size: 0.72rem; font-weight: 600; letter-spacing: 0.06em;
  text-transform: uppercase; color: var(--body-text-color-subdued); }
.cite-card { border: 1px solid var(--border-color-primary); border-left: 4px solid #4f46e5;
  border-radius: 8px; padding: 0.55rem 0.75rem; background: var(--background-fill-primary);
  font-size: 0.88rem; }
.cite-meta { font-size: 0.82rem; }
.cite-n { display: inline-block; min-width: 1.35em; padding: 0 0.3em; margin-right: 0.4rem;
  border-radius: 999px; background: #4f46e5; color: #fff; font-size: 0.72rem;
  text-align: center; font-weight: 600; }
.cite-ref { font-size: 0.7em; color: #4f46e5; font-weight: 600; }
.cite-heading { color: var(--body-text-color-subdued); margin-left: 0.25rem; }
.cite-text { margin: 0.35rem 0; line-height: 1.5; }
.cite-open a, .cmp-source a { font-size: 0.8rem; font-weight: 600; text-decoration: none; }
.chat-error { color: #b45309; }
.viewer-empty { padding: 1.5rem 1rem; color: var(--body-text-color-subdued); font-size: 0.9rem;
  border: 1px dashed var(--border-color-primary); border-radius: 8px; text-align: center; }
.doc-view { border: 1px solid var(--border-color-primary); border-radius: 8px; }
.doc-head { padding: 0.6rem 0.9rem; border-bottom: 1px solid var(--border-color-primary);
  background: var(--background-fill-secondary); border-radius: 8px 8px 0 0; }
.doc-title { font-weight: 700; }
.doc-meta { font-size: 0.8rem; color: var(--body-text-color-subdued); }
.doc-body { position: relative; max-height: 62vh; overflow-y: auto; padding: 0.4rem 0.9rem;
  line-height: 1.55; font-size: 0.9rem; }
.doc-p { white-space: pre-wrap; margin: 0.5rem 0; }
.doc-p.has-passage { background: rgba(253, 230, 138, 0.25); border-radius: 4px; }
.doc-h { margin: 0.9rem 0 0.3rem; font-size: 0.95rem; }
#comparison table.cmp-table { width: 100%; border-collapse: collapse; font-size: 0.9rem;
  border: 0; }
.cmp-table th, .cmp-table td { text-align: left; vertical-align: top; padding: 0.55rem 0.7rem;
  border: none; border-bottom: 1px solid var(--border-color-primary); }
.cmp-table th { font-size: 0.8rem; color: var(--body-text-color-subdued); }
.cmp-table td:first-child { white-space: nowrap; }
.cmp-source { font-size: 0.8rem; color: var(--body-text-color-subdued); margin-top: 0.2rem; }
.not-mentioned { color: var(--body-text-color-subdued); font-style: italic; }
.upload-ok { color: #047857; }
"""


def theme() -> gr.themes.Base:
    """The colours and fonts of the web chat."""
    return gr.themes.Soft(
        primary_hue="indigo",
        neutral_hue="slate",
        font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
    )
