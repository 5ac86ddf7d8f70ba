"""The page's look (CSS), its one small script, and its theme. Constants and builders only."""

from __future__ import annotations

from typing import Any

CSS = """
@font-face { font-family: 'Lora'; font-weight: 400; font-style: normal;
  src: url('static/fonts/Lora/Lora-Regular.woff2') format('woff2'); }
@font-face { font-family: 'Lora'; font-weight: 600; font-style: normal;
  src: url('static/fonts/Lora/Lora-SemiBold.woff2') format('woff2'); }
#header { align-items: center; gap: .75rem; }
#brand h1 { font-size: 1.55rem; margin: 0; letter-spacing: -.01em; }
#brand p { margin: .15rem 0 0; color: var(--body-text-color-subdued); font-size: .95rem; }
.status { display: inline-flex; align-items: center; gap: .4rem; padding: .3rem .75rem;
  border-radius: 999px; font-size: .85rem; border: 1px solid var(--border-color-primary);
  background: var(--background-fill-secondary); float: right; }
.status .dot { display: inline-block; width: .6rem; height: .6rem; border-radius: 50%;
  background: #16a34a; flex: none; }
.status-loading .dot { background: none; border: 2px solid #f59e0b;
  border-top-color: transparent; animation: spin .9s linear infinite; }
.status-failed { border-color: #dc2626; color: #b91c1c; }
.status-failed .dot { background: #dc2626; }
@keyframes spin { to { transform: rotate(360deg); } }
@keyframes pulse { 50% { opacity: .35; } }

#note { font-size: .82rem; color: var(--body-text-color-subdued); min-height: 1.2em; }
#note p { margin: 0; }
#actions { gap: .5rem; flex-wrap: wrap; }
#actions button { flex: 0 1 auto; min-width: 0; }
#actions #thumbs-up { margin-left: auto; }
#thumbs-up::before, #thumbs-down::before { content: ""; display: inline-block; width: 1.05em;
  height: 1.05em; margin-right: .35em; vertical-align: -.15em; background: currentColor;
  -webkit-mask: var(--icon) center / contain no-repeat; mask: var(--icon) center / contain
  no-repeat; }
#thumbs-up { --icon: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' \
viewBox='0 0 24 24'><path d='M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41\
-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 \
1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z'/></svg>"); }
#thumbs-down { --icon: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' \
viewBox='0 0 24 24'><path d='M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 \
1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58\
-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z'/></svg>"); }
#thumbs-up:hover { color: #15803d; }
#thumbs-down:hover { color: #b91c1c; }
#feedback-note p { margin: 0; font-size: .85rem; }

.pending { color: var(--body-text-color-subdued); font-style: italic; }
.cursor { animation: pulse 1s steps(2) infinite; }
a.cite-ref { font-weight: 700; text-decoration: none; color: #b45309 !important;
  padding: 0 .1em; border-radius: 4px; white-space: nowrap; }
a.cite-ref:hover { background: #fef3c7; text-decoration: underline; }
.cite-list { display: block; font-size: .85em; color: var(--body-text-color-subdued); }

#sources-col { gap: .4rem; }
#sources-head { align-items: center; }
#sources-head h3 { margin: 0; }
.sources { font-size: .95rem; }
.sources .hint { color: var(--body-text-color-subdued); margin: .25rem 0 .6rem; }
.sources h4 { margin: .6rem 0 .35rem; font-size: 1rem; }
.article-text { position: relative; white-space: pre-wrap; max-height: 58vh; overflow-y: auto;
  font-family: Lora, Georgia, 'DejaVu Serif', serif; line-height: 1.65; font-size: .98rem;
  padding: .8rem 1rem; border: 1px solid var(--border-color-primary); border-radius: 10px;
  background: var(--background-fill-secondary); scroll-behavior: smooth; }
mark.cite-mark { background: #fde68a; color: inherit; padding: .05em .1em;
  border-radius: 3px; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.dark mark.cite-mark { background: #a16207; }
sup.cite-num { display: inline-block; font: 700 .68rem/1.35 system-ui, sans-serif;
  color: #fff; background: #b45309; border-radius: 999px; padding: 0 .42em;
  margin-right: .25em; vertical-align: .35em; scroll-margin: 3rem; }
.retrieved { text-decoration: underline dotted #6366f1; text-underline-offset: 4px; }
mark.flash, .flash { animation: flash 1.8s ease-out; }
@keyframes flash { 0%, 30% { box-shadow: 0 0 0 4px #f59e0b; background: #fcd34d; }
  100% { box-shadow: 0 0 0 0 transparent; } }

.cards-title { margin-top: 1rem !important; }
.card { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: .55rem .75rem; margin: .45rem 0; background: var(--background-fill-primary); }
.card.cited { border-left: 4px solid #f59e0b; }
.card-head { display: flex; gap: .5rem; align-items: baseline; }
.card-head .rank { font-weight: 700; color: var(--body-text-color-subdued); }
.card-head .section { font-weight: 600; flex: 1; }
.card-head .score { font: .78rem/1.4 ui-monospace, monospace; padding: .05rem .45rem;
  border-radius: 999px; background: var(--background-fill-secondary); white-space: nowrap; }
.card-meta { font-size: .78rem; color: var(--body-text-color-subdued); margin: .1rem 0 .3rem; }
.card-text { white-space: pre-wrap; font-size: .9rem; line-height: 1.5; }

.table-wrap { overflow-x: auto; }
table.articles { width: 100%; border-collapse: collapse; font-size: .92rem;
  border: none !important; }
table.articles th, table.articles td { text-align: left; padding: .45rem .6rem;
  border: none !important; border-bottom: 1px solid var(--border-color-primary) !important;
  vertical-align: top; background: transparent; }
table.articles tr, table.articles thead, table.articles tbody { border: none !important; }
table.articles th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em;
  color: var(--body-text-color-subdued); }
table.articles .num { text-align: right; white-space: nowrap; }

@media (max-width: 640px) {
  #header { flex-direction: column; align-items: stretch; gap: .25rem; }
  #brand h1 { font-size: 1.25rem; }
  .status { float: none; }
  .article-text { max-height: 48vh; }
  table.articles th:nth-child(2), table.articles td:nth-child(2),
  table.articles th:nth-child(3), table.articles td:nth-child(3) { display: none; }
}
"""

# Gradio scopes CSS= rules to the app's content; the frame around it is styled here.
FRAME_CSS = """
.gradio-container .main.app { max-width: 1380px !important; width: 100%; margin: 0 auto; }
@media (max-width: 640px) {
  .gradio-container .main.app { padding: 10px 10px 16px !important; }
}
"""

# A click on [n] brings citation n's passage into view and flashes it. Links to an older
# answer's passages wait briefly for the source panel to switch to that answer.
CITE_SCRIPT = """
<script>
(() => {
  if (window.__newsragCites) return;
  window.__newsragCites = true;
  function reveal(id, tries) {
    const target = document.getElementById(id);
    if (!target) {
      if (tries > 0) setTimeout(() => reveal(id, tries - 1), 100);
      return;
    }
    const box = target.closest('.article-text');
    if (box) box.scrollTop = Math.max(0, target.offsetTop - box.clientHeight / 3);
    const shown = (box || target).getBoundingClientRect();
    if (shown.top < 0 || shown.top > window.innerHeight * 0.6) {
      (box || target).scrollIntoView({behavior: 'smooth', block: 'start'});
    }
    const mark = target.closest('mark') || target;
    mark.classList.remove('flash');
    void mark.offsetWidth;
    mark.classList.add('flash');
  }
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#cite-"]');
    if (!link) return;
    event.preventDefault();
    reveal(link.getAttribute('href').slice(1), 25);
  }, true);
})();
</script>
"""

HEAD = f"<style>{FRAME_CSS}</style>\n{CITE_SCRIPT}"

# Runs in the source panel: after each new answer, scroll every article box to its first
# highlighted passage (inside the box only, so the page itself does not jump).
SOURCES_JS = """
watch('value', () => {
  element.querySelectorAll('.article-text').forEach((box) => {
    const first = box.querySelector('sup.cite-num');
    if (first) box.scrollTop = Math.max(0, first.offsetTop - 48);
  });
});
"""


def theme() -> Any:
    """A calm reading theme (gradio imported lazily)."""
    from web import import_gradio

    gr = import_gradio()
    # Local fonts only: the page must render without internet (gradio bundles these).
    # Not 600: the bundled IBM Plex Sans SemiBold lacks some letters (a bold "a" fell back).
    fonts = gr.themes.utils.fonts
    return gr.themes.Soft(
        primary_hue="amber",
        secondary_hue="indigo",
        neutral_hue="slate",
        font=[fonts.LocalFont("IBM Plex Sans", weights=(400, 700)), "system-ui", "sans-serif"],
    )
