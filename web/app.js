// stancecheck web page: no framework, no build step, no third-party code.
const MAX_FILE_BYTES = 1024 * 1024;

const EXAMPLE = {
  headline: 'Storm forces closure of coastal motorway for the weekend',
  subtitle: 'Engineers say the road may stay shut until Tuesday',
  body: [
    'A village choir from the hill town of Caldbeck has been invited to sing at the opening of the national concert hall next spring, after a recording of its Christmas carol service was shared more than two million times online.',
    'The choir has thirty-one members, the youngest aged nine and the oldest eighty-seven. Its director, Rosalind Achebe, said the invitation arrived by letter on Monday and that she read it out at rehearsal that evening. "Half of them thought I was joking," she said. "The other half started arguing about what to wear."',
    'The recording was made on a phone balanced on a hymn book by a member of the congregation, and shows the choir singing an old local carol that had not been written down until a retired teacher transcribed it in the 1980s.',
    'The concert hall said it had received hundreds of messages asking for the choir to be included. Its artistic director confirmed that the choir would open the first evening with the carol before the national orchestra takes the stage.',
    'The choir plans to raise money for the trip with a series of concerts in the village hall over the winter.',
  ].join('\n\n'),
};

const $ = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
};

const form = $('check-form');
const submit = $('submit');
const errorBox = $('error');
const statusLine = $('status');
const result = $('result');

function mode() {
  const checked = form.querySelector('input[name="mode"]:checked');
  return checked && checked.value === 'html' ? 'html' : 'text';
}

function setMode(m) {
  const radio = form.querySelector(`input[name="mode"][value="${m}"]`);
  if (radio) radio.checked = true;
  $('text-fields').hidden = m !== 'text';
  $('html-fields').hidden = m !== 'html';
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function clearError() {
  errorBox.textContent = '';
  errorBox.hidden = true;
}

function pct(p) {
  return `${Math.round(p * 100)}%`;
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** One bar per label (the server sends every label, in its order), with the number in text and as an ARIA meter. */
function renderBars(container, verdict, idPrefix) {
  container.replaceChildren();
  for (const [label, p] of Object.entries(verdict.probabilities)) {
    const row = el('div', { class: `bar-row${label === verdict.label ? ' chosen' : ''}` });
    const nameId = `${idPrefix}-bar-${label}`;
    row.append(el('span', { class: 'bar-name', id: nameId }, label));
    const track = el('div', {
      class: 'bar-track',
      role: 'meter',
      'aria-labelledby': nameId,
      'aria-valuemin': '0',
      'aria-valuemax': '100',
      'aria-valuenow': String(Math.round(p * 100)),
      'aria-valuetext': `${label} ${pct(p)}`,
    });
    const fill = el('div', { class: `bar-fill label-${label}` });
    fill.style.width = `${Math.max(0, Math.min(100, p * 100)).toFixed(1)}%`;
    track.append(fill);
    row.append(track, el('span', { class: 'bar-value' }, pct(p)));
    container.append(row);
  }
}

function renderClaim(prefix, verdict) {
  const label = $(`${prefix}-label`);
  label.textContent = verdict.label;
  label.className = `label label-${verdict.label}`;
  $(`${prefix}-claim`).textContent = `“${verdict.claim}”`;
  $(`${prefix}-reason`).textContent = verdict.reason;
  const warnings = $(`${prefix}-warnings`);
  warnings.replaceChildren(
    ...(verdict.warnings ?? []).map((w) =>
      el('p', { class: 'warning', 'data-code': w.code }, `Warning: ${w.message}`),
    ),
  );
  warnings.hidden = warnings.childElementCount === 0;
  renderBars($(`${prefix}-bars`), verdict, prefix);
}

/** What each cue means, for people (an evidence sentence without a cue only shares the claim's words). */
const CUE_WORDS = {
  overlap: 'shares the claim’s words',
  refute: 'refutes',
  negation: 'negates',
  hedge: 'hedges or attributes',
  question: 'asks',
  quote: 'quotes the claim',
  support: 'confirms',
  reversal: 'reverses',
};

function describeCues(cues) {
  const words = cues.map((c) => CUE_WORDS[c] ?? c);
  return words.length > 0 ? words.join(', ') : 'closest to the claim';
}

/** The sentence's text with the stance-carrying words (spans, UTF-16 offsets) in <strong>. */
function withSpans(text, spans) {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const s of [...(spans ?? [])].sort((a, b) => a.start - b.start)) {
    if (s.start < at || s.end > text.length || s.end <= s.start) continue;
    if (s.start > at) frag.append(document.createTextNode(text.slice(at, s.start)));
    frag.append(
      el(
        'strong',
        { class: `cue cue-${s.cue}`, title: CUE_WORDS[s.cue] ?? s.cue },
        text.slice(s.start, s.end),
      ),
    );
    at = s.end;
  }
  if (at < text.length) frag.append(document.createTextNode(text.slice(at)));
  return frag;
}

/** The article's sentences in their paragraphs, evidence sentences in <mark>. */
function renderArticle(verdict) {
  const container = $('article-text');
  container.replaceChildren();
  const list = $('evidence-list');
  list.replaceChildren();
  const marks = new Map();
  const note = (ev, who) => {
    const m = marks.get(ev.index) ?? { who: [], cues: new Set(), score: 0, spans: null };
    m.who.push(who);
    for (const c of ev.cues) m.cues.add(c);
    m.score = Math.max(m.score, ev.score);
    if (!m.spans) m.spans = ev.spans;
    marks.set(ev.index, m);
  };
  for (const ev of verdict.evidence) note(ev, 'headline');
  for (const ev of verdict.subtitle?.evidence ?? []) note(ev, 'subtitle');

  const addEvidenceItems = (who, evidence) => {
    for (const ev of evidence) {
      const li = el('li', { class: `ev-item ev-${who}` });
      const link = el('a', { href: `#s${ev.index}` });
      link.append(withSpans(ev.text, ev.spans));
      li.append(
        el('span', { class: 'ev-who' }, `${who}, sentence ${ev.number ?? ev.index + 1}: `),
        link,
        el('span', { class: 'ev-cues' }, ` (${describeCues(ev.cues)}; score ${ev.score.toFixed(2)})`),
      );
      list.append(li);
    }
  };
  addEvidenceItems('headline', verdict.evidence);
  addEvidenceItems('subtitle', verdict.subtitle?.evidence ?? []);
  if (list.childElementCount === 0)
    list.append(el('li', {}, 'No sentence of the article bears on the claim.'));

  const sentences = verdict.sentences ?? verdict.evidence.map((e) => e.text);
  const paragraphs = verdict.paragraphs ?? [];
  let para = null;
  let paraIndex = -1;
  sentences.forEach((text, i) => {
    const pi = paragraphs[i] ?? 0;
    if (!para || pi !== paraIndex) {
      para = el('p');
      container.append(para);
      paraIndex = pi;
    }
    const m = marks.get(i);
    let node;
    if (m) {
      const who = m.who.includes('headline') ? 'headline' : 'subtitle';
      node = el('mark', {
        class: `ev ev-${who}`,
        id: `s${i}`,
        tabindex: '-1',
        title: `sentence ${i + 1}, evidence for the ${m.who.join(' and ')}: ${describeCues([...m.cues])} (score ${m.score.toFixed(2)})`,
      });
      node.append(withSpans(text, m.spans));
    } else {
      node = el('span', { id: `s${i}` }, text);
    }
    if (para.childNodes.length > 0) para.append(document.createTextNode(' '));
    para.append(node);
  });
}

function render(verdict) {
  renderClaim('verdict', verdict);
  const sub = $('subtitle-result');
  if (verdict.subtitle) {
    renderClaim('subtitle', verdict.subtitle);
    sub.hidden = false;
  } else {
    sub.hidden = true;
  }
  renderArticle(verdict);
  $('legend-subtitle').hidden = !verdict.subtitle;
  $('unrelated-note').hidden = verdict.label !== 'unrelated';
  result.hidden = false;
  statusLine.textContent = `Verdict: ${verdict.label}. ${verdict.reason}`;
  $('verdict-heading').focus();
}

/** Hides a verdict that no longer belongs to what is in the form. */
function clearVerdict() {
  if (result.hidden) return;
  result.hidden = true;
  statusLine.textContent = '';
}

function requestBody() {
  if (mode() === 'html') {
    const html = $('html').value;
    if (html.trim() === '') throw new Error('Paste the HTML of an article page first.');
    return { html };
  }
  const headline = $('headline').value;
  const subtitle = $('subtitle').value;
  const body = $('body').value;
  if (headline.trim() === '') {
    $('headline').focus();
    throw new Error('Enter the headline to check.');
  }
  if (body.trim() === '') {
    $('body').focus();
    throw new Error('Paste the article text.');
  }
  return subtitle.trim() === '' ? { headline, body } : { headline, subtitle, body };
}

async function check() {
  clearError();
  let payload;
  try {
    payload = requestBody();
  } catch (e) {
    showError(e.message);
    return;
  }
  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  statusLine.textContent = 'Checking…';
  try {
    const res = await fetch('/v1/check?sentences=true', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const err = data && data.error ? data.error : { code: `HTTP_${res.status}`, message: res.statusText };
      const retry = res.headers.get('retry-after');
      showError(`${err.message} (${err.code}${retry ? `; retry in ${retry} s` : ''})`);
      statusLine.textContent = '';
      return;
    }
    render(data);
  } catch (e) {
    showError(`Could not reach the server: ${e.message}`);
    statusLine.textContent = '';
  } finally {
    submit.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

/** A .txt file: first non-empty line is the headline, the rest the body. */
function loadText(text) {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  setMode('text');
  $('headline').value = (lines[i] ?? '').trim();
  $('subtitle').value = '';
  $('body').value = lines
    .slice(i + 1)
    .join('\n')
    .trim();
}

async function loadFile(file) {
  clearError();
  if (!file) return;
  clearVerdict();
  if (file.size > MAX_FILE_BYTES) {
    showError(
      `${file.name} is ${Math.round(file.size / 1024)} KB; the limit is ${MAX_FILE_BYTES / 1024} KB.`,
    );
    return;
  }
  const text = await file.text();
  const isHtml = /\.html?$/i.test(file.name) || file.type === 'text/html' || /^\s*</.test(text);
  if (isHtml) {
    setMode('html');
    $('html').value = text;
  } else {
    loadText(text);
  }
  statusLine.textContent = `Loaded ${file.name}.`;
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  void check();
});
form.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    void check();
  }
});
for (const radio of form.querySelectorAll('input[name="mode"]')) {
  radio.addEventListener('change', () => {
    setMode(mode());
    clearVerdict();
  });
}
$('file').addEventListener('change', (e) => {
  const input = e.target;
  void loadFile(input.files && input.files[0]);
});
for (const id of ['headline', 'subtitle', 'body', 'html']) $(id).addEventListener('input', clearVerdict);
$('example').addEventListener('click', () => {
  clearVerdict();
  clearError();
  setMode('text');
  $('headline').value = EXAMPLE.headline;
  $('subtitle').value = EXAMPLE.subtitle;
  $('body').value = EXAMPLE.body;
  $('headline').focus();
});
$('clear').addEventListener('click', () => {
  for (const id of ['headline', 'subtitle', 'body', 'html']) $(id).value = '';
  $('file').value = '';
  result.hidden = true;
  clearError();
  $('headline').focus();
});

const zone = $('drop-zone');
for (const type of ['dragenter', 'dragover']) {
  form.addEventListener(type, (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
}
for (const type of ['dragleave', 'drop']) {
  form.addEventListener(type, () => zone.classList.remove('dragging'));
}
form.addEventListener('drop', (e) => {
  e.preventDefault();
  const file = e.dataTransfer && e.dataTransfer.files[0];
  void loadFile(file);
});

/* ------------------------------------------------------------ views: Check, Claim, Audit */

const VIEWS = ['check', 'claim', 'audit'];
const TOKEN_KEY = 'stancecheck-token';

/** The error of a failed response, as the server sends it: "message (CODE)". */
async function responseError(res) {
  const data = await res.json().catch(() => null);
  const err = data && data.error ? data.error : { code: `HTTP_${res.status}`, message: res.statusText };
  const retry = res.headers.get('retry-after');
  return { code: err.code, text: `${err.message} (${err.code}${retry ? `; retry in ${retry} s` : ''})` };
}

function showIn(box, message) {
  box.textContent = message;
  box.hidden = false;
}

/** Only http(s) links from stored articles become links (never javascript: or data:). */
function safeUrl(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
}

function showView(name, focus) {
  const view = VIEWS.includes(name) ? name : 'check';
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  for (const a of document.querySelectorAll('nav.views a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (view !== 'check') void loadCorpusInfo();
  if (view === 'audit') void loadFindings();
  if (focus) (view === 'check' ? $('headline') : $(`${view}-title`)).focus();
}

let corpusInfo = null;

/** Whether the server has a corpus, and what it holds (shown above the Claim and Audit forms). */
async function loadCorpusInfo() {
  const boxes = [$('corpus-info-claim'), $('corpus-info-audit')];
  try {
    const res = await fetch('/v1/corpus/stats');
    if (!res.ok) {
      const e = await responseError(res);
      corpusInfo = null;
      for (const b of boxes) {
        b.textContent =
          e.code === 'NOT_FOUND'
            ? 'This server has no corpus. Start it with “stancecheck serve --db PATH” to ask claims and audit headlines.'
            : e.text;
        b.classList.add('off');
      }
      return;
    }
    corpusInfo = await res.json();
    const text = `${corpusInfo.articles} article${corpusInfo.articles === 1 ? '' : 's'} in the corpus (${corpusInfo.backend}), ${corpusInfo.audited} audited with ${corpusInfo.model}.`;
    for (const b of boxes) {
      b.textContent = text;
      b.classList.remove('off');
    }
  } catch (e) {
    for (const b of boxes) b.textContent = `Could not reach the server: ${e.message}`;
  }
}

/* ---- Claim */

const claimForm = $('claim-form');
const claimError = $('claim-error');
const claimResult = $('claim-result');

function coverageItem(item, stance) {
  const li = el('li', { class: 'cov-item' });
  const head = el('p', { class: 'cov-headline' });
  const url = safeUrl(item.url);
  const title = item.headline || '(no headline)';
  if (url) head.append(el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, title));
  else head.append(document.createTextNode(title));
  li.append(head);
  const meta = [`${stance} ${pct(item.probabilities[stance])}`, item.id];
  if (item.source) meta.push(item.source);
  if (item.published) meta.push(item.published);
  li.append(el('p', { class: 'cov-meta' }, meta.join(' · ')));
  if (item.evidence.length > 0) {
    const list = el('ul', { class: 'cov-evidence', 'aria-label': `Evidence from ${title}` });
    for (const ev of item.evidence) {
      const e = el('li');
      e.append(el('span', { class: 'ev-who' }, `sentence ${ev.number ?? ev.index + 1}: `));
      const quote = el('q', { class: 'ev-text' });
      quote.append(withSpans(ev.text, ev.spans));
      e.append(quote);
      list.append(e);
    }
    li.append(list);
  }
  if (item.reason) li.append(el('p', { class: 'cov-reason' }, item.reason));
  return li;
}

function renderCoverage(answer) {
  $('claim-summary').textContent = answer.summary;
  $('claim-echo').textContent = `“${answer.claim}”`;
  const byId = new Map(answer.articles.map((a) => [a.id, a]));
  for (const stance of ['agree', 'disagree', 'discuss']) {
    const list = $(`col-${stance}`);
    const ids = answer.groups[stance] ?? [];
    $(`col-${stance}-count`).textContent = `(${ids.length})`;
    list.replaceChildren(
      ...ids
        .map((id) => byId.get(id))
        .filter(Boolean)
        .map((a) => coverageItem(a, stance)),
    );
    if (ids.length === 0) list.append(el('li', { class: 'cov-none' }, 'No article.'));
  }
  const unrelated = answer.counts.unrelated ?? 0;
  $('claim-unrelated').textContent =
    unrelated > 0
      ? `${unrelated} of the ${answer.articles.length} closest articles ${unrelated === 1 ? 'is' : 'are'} unrelated to the claim and not shown.`
      : '';
  claimResult.hidden = false;
  statusLine.textContent = answer.summary;
  $('claim-summary').focus();
}

async function askClaim() {
  claimError.hidden = true;
  const claim = $('claim-text').value;
  if (claim.trim() === '') {
    showIn(claimError, 'Enter a claim to ask about.');
    $('claim-text').focus();
    return;
  }
  const topText = $('claim-top').value.trim();
  const top = topText === '' ? undefined : Number(topText);
  if (top !== undefined && !(Number.isInteger(top) && top >= 1 && top <= 1000)) {
    showIn(claimError, 'Articles to return must be a whole number from 1 to 1000.');
    $('claim-top').focus();
    return;
  }
  const button = $('claim-submit');
  button.disabled = true;
  claimForm.setAttribute('aria-busy', 'true');
  statusLine.textContent = 'Asking the corpus…';
  try {
    const res = await fetch('/v1/corpus/claim', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(top === undefined ? { claim } : { claim, top }),
    });
    if (!res.ok) {
      showIn(claimError, (await responseError(res)).text);
      statusLine.textContent = '';
      return;
    }
    renderCoverage(await res.json());
  } catch (e) {
    showIn(claimError, `Could not reach the server: ${e.message}`);
    statusLine.textContent = '';
  } finally {
    button.disabled = false;
    claimForm.removeAttribute('aria-busy');
  }
}

claimForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void askClaim();
});
for (const id of ['claim-text', 'claim-top'])
  $(id).addEventListener('input', () => {
    claimResult.hidden = true;
  });

/* ---- Audit */

const auditForm = $('audit-form');
const auditError = $('audit-error');
const tokenInput = $('audit-token');
let findings = [];
let sortKey = 'score';
let sortDir = 'descending';

const FINDING_WORDS = { 'wrong-story': 'wrong story', contradicted: 'contradicted' };

function storedToken() {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

tokenInput.value = storedToken();
tokenInput.addEventListener('input', () => {
  try {
    if (tokenInput.value === '') window.sessionStorage.removeItem(TOKEN_KEY);
    else window.sessionStorage.setItem(TOKEN_KEY, tokenInput.value);
  } catch {
    // storage off: the token lives in the field only
  }
});

function sortedFindings() {
  const dir = sortDir === 'ascending' ? 1 : -1;
  return [...findings].sort((a, b) => {
    const x = a[sortKey];
    const y = b[sortKey];
    const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
    return c * dir || b.score - a.score;
  });
}

function renderFindings() {
  const rows = $('audit-rows');
  rows.replaceChildren();
  for (const f of sortedFindings()) {
    const tr = el('tr', { 'data-id': f.id });
    const head = el('td', { class: 'audit-headline' });
    const url = safeUrl(f.url);
    const title = f.headline || '(no headline)';
    if (url)
      head.append(el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, title));
    else head.append(document.createTextNode(title));
    head.append(el('span', { class: 'audit-id' }, f.id));
    const finding = el('td');
    finding.append(
      el(
        'span',
        { class: `label label-${f.finding === 'wrong-story' ? 'unrelated' : 'disagree'}` },
        FINDING_WORDS[f.finding] ?? f.finding,
      ),
    );
    tr.append(
      head,
      finding,
      el('td', { class: 'audit-score' }, f.score.toFixed(2)),
      el('td', { class: 'audit-reason' }, f.reason),
    );
    rows.append(tr);
  }
  for (const th of document.querySelectorAll('#audit-table th')) {
    const key = th.querySelector('button')?.dataset.key;
    th.setAttribute('aria-sort', key === sortKey ? sortDir : 'none');
  }
  $('audit-table').hidden = findings.length === 0;
}

function showReport(report, ran) {
  findings = report.flagged;
  const wrong = findings.filter((f) => f.finding === 'wrong-story').length;
  const summary =
    `${findings.length} of ${report.checked} article${report.checked === 1 ? '' : 's'} flagged: ` +
    `${wrong} wrong story, ${findings.length - wrong} contradicted` +
    (ran
      ? ` (${report.scored} newly scored with ${report.model}` +
        (report.refreshed > 0
          ? `; ${report.refreshed} older headline${report.refreshed === 1 ? '' : 's'} looked up among the articles stored since).`
          : ').')
      : '.') +
    (report.storedAfterFullAudit > 0
      ? ` ${report.storedAfterFullAudit === 1 ? '1 article was' : `${report.storedAfterFullAudit} articles were`} stored after the last full audit: ` +
        'the audits made before have not looked them up yet; run the audit to look them up.'
      : '');
  $('audit-summary').textContent = summary;
  renderFindings();
  statusLine.textContent = summary;
}

async function loadFindings() {
  auditError.hidden = true;
  try {
    const res = await fetch('/v1/corpus/audit');
    if (!res.ok) {
      const e = await responseError(res);
      if (e.code !== 'NOT_FOUND') showIn(auditError, e.text);
      findings = [];
      renderFindings();
      $('audit-summary').textContent = '';
      return;
    }
    showReport(await res.json(), false);
  } catch (e) {
    showIn(auditError, `Could not reach the server: ${e.message}`);
  }
}

/**
 * Shows how far the running audit is (GET /v1/corpus/audit/progress, every half second) until the
 * returned function is called.
 */
function followAudit() {
  const line = $('audit-progress');
  let stopped = false;
  void (async () => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      try {
        const res = await fetch('/v1/corpus/audit/progress');
        const p = res.ok ? await res.json() : undefined;
        if (stopped || !p?.running) continue;
        line.textContent =
          p.refreshed > 0
            ? `${p.scored} article${p.scored === 1 ? '' : 's'} scored; looking older headlines up among the new articles: ${p.refreshed} so far…`
            : `Scoring: ${p.scored} article${p.scored === 1 ? '' : 's'} scored so far…`;
        line.hidden = false;
      } catch {
        // The audit's own request reports a lost server.
      }
    }
  })();
  return () => {
    stopped = true;
    line.hidden = true;
  };
}

async function runAudit() {
  auditError.hidden = true;
  const token = tokenInput.value.trim();
  if (token === '') {
    showIn(auditError, 'Enter the bearer token the server was started with (--token or STANCECHECK_TOKEN).');
    tokenInput.focus();
    return;
  }
  const button = $('audit-run');
  button.disabled = true;
  auditForm.setAttribute('aria-busy', 'true');
  statusLine.textContent = 'Running the audit…';
  try {
    const request = fetch($('audit-redo').checked ? '/v1/corpus/audit?redo=true' : '/v1/corpus/audit', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const stopFollowing = followAudit();
    const res = await request.finally(stopFollowing);
    if (!res.ok) {
      showIn(auditError, (await responseError(res)).text);
      statusLine.textContent = '';
      if (res.status === 401) tokenInput.focus();
      return;
    }
    showReport(await res.json(), true);
    void loadCorpusInfo();
  } catch (e) {
    showIn(auditError, `Could not reach the server: ${e.message}`);
    statusLine.textContent = '';
  } finally {
    button.disabled = false;
    auditForm.removeAttribute('aria-busy');
  }
}

auditForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void runAudit();
});
$('audit-reload').addEventListener('click', () => void loadFindings());
for (const button of document.querySelectorAll('#audit-table th button')) {
  button.addEventListener('click', () => {
    const key = button.dataset.key;
    if (key === sortKey) sortDir = sortDir === 'ascending' ? 'descending' : 'ascending';
    else {
      sortKey = key;
      sortDir = key === 'score' ? 'descending' : 'ascending';
    }
    renderFindings();
    statusLine.textContent = `Sorted by ${key}, ${sortDir}.`;
  });
}

window.addEventListener('hashchange', () => showView(window.location.hash.slice(1), true));

setMode(mode());
showView(window.location.hash.slice(1), false);
window.stancecheckReady = true;
