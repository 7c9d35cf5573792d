// Material's search worker (imported below), with each query's words reduced to the stems the index holds.
//
// mkdocs.yml indexes stems (search pipeline: stemmer): "model", "models", "modeling" and "modelling" are one word,
// so a query no longer ranks a question above another because it spells a common word a rare way. Material sends
// each query word to the index as a prefix (with a trailing wildcard) and without the stemmer; this wrapper stems
// the words first and drops finished stop words ("in*" matched "instruction", "inference"...). The word still being
// typed is cut back to the longest prefix an indexed stem starts with, so results don't vanish mid-word (the stem
// of "training" is "train", which no longer starts with "traini"). What the reader sees stays in words: a result's
// terms (its "Missing:" line, the words highlighted on the page it opens) are the words typed, and the suggestion
// completes the word being typed. hooks/search.py points Material's configuration at this file and names
// Material's worker in `?material=`.

const QUERY = 2; // Material's SearchMessageType
const SETUP = 0;
const material = new URL(self.location.href).searchParams.get("material");
if (!/^search\.[0-9a-f]+\.min\.js$/.test(material || "")) throw new Error(`not Material's search worker: ${material}`);

let stemming = false;
let typed = new Map(); // stem -> the word of the last query it came from
let separator = /[\s\-]+/;
const stems = new Map(); // word -> stem
const words = new Map(); // stem -> its most frequent spelling in titles and keywords (text breaks ties)

const stem = (word) => {
  if (!stems.has(word)) stems.set(word, lunr.stemmer(new lunr.Token(word)).toString());
  return stems.get(word);
};

function learn(config, docs) {
  stemming = config.pipeline.includes("stemmer");
  separator = new RegExp(config.separator);
  const counts = new Map();
  for (const doc of docs)
    for (const field of ["title", "text", "keywords"])
      for (const word of (doc[field] || "").replace(/<[^>]*>/g, " ").toLowerCase().split(separator)) {
        if (!word) continue;
        const key = `${stem(word)} ${word}`;
        counts.set(key, (counts.get(key) || 0) + (field === "text" ? 1 : 100));
      }
  const best = new Map();
  for (const [key, count] of counts) {
    const [root, word] = key.split(" ");
    if (count > (best.get(root) || 0)) best.set(root, count), words.set(root, word);
  }
}

const indexed = (prefix) => [...words.keys()].some((root) => root.startsWith(prefix));

function rewrite(query) {
  typed = new Map();
  if (!stemming) return query;
  const typing = !/\s$/.test(query);
  const parts = query.trim().split(/\s+/);
  const out = [];
  parts.forEach((part, i) => {
    // Quoted phrases, wildcards, boosts and fields are the reader's own lunr syntax: passed on as typed.
    if (/["*:~^]/.test(part)) return out.push(part);
    const [, sign, rest] = part.match(/^([+-]?)(.*)$/);
    const pieces = rest.toLowerCase().split(separator).filter(Boolean);
    pieces.forEach((piece, j) => {
      const last = typing && i === parts.length - 1 && j === pieces.length - 1;
      if (!last && !lunr.stopWordFilter(piece)) return;
      let root = stem(piece);
      // A suffix the stemmer removes is at most 7 letters ("fulness"); cut back further and a typo finds anything.
      if (last && !indexed(root))
        for (let n = piece.length - 1; n >= Math.max(2, piece.length - 7); n--)
          if (indexed(piece.slice(0, n))) {
            root = piece.slice(0, n);
            break;
          }
      typed.set(root, piece);
      out.push(sign + root);
    });
  });
  return out.length ? out.join(" ") : query;
}

// Material's worker listens with the global addEventListener and answers with the global postMessage: both are
// wrapped before it loads.
const listen = self.addEventListener.bind(self);
self.addEventListener = (type, listener, options) =>
  listen(
    type,
    type !== "message"
      ? listener
      : (event) => {
          const message = event.data;
          if (message.type === SETUP) learn(message.data.config, message.data.docs);
          if (message.type === QUERY) return listener({ data: { ...message, data: rewrite(message.data) } });
          return listener(event);
        },
    options,
  );
const post = self.postMessage.bind(self);
self.postMessage = (message) => {
  const result = message?.data;
  if (stemming && result?.items) {
    for (const item of result.items.flat())
      item.terms = Object.fromEntries(Object.entries(item.terms).map(([term, found]) => [typed.get(term) || term, found]));
    if (result.suggest) result.suggest = result.suggest.map((root) => words.get(root) || root);
  }
  post(message);
};

importScripts(material);
