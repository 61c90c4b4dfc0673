// @ts-check
// logomill web app: native ES modules (web/js/), no framework, no build step, no external requests.
// It talks to the HTTP API described in docs/API.md: GET /api/variations to build the form,
// POST /api/jobs to start a job, Server-Sent Events (or polling) to follow it.
//
// Modules, one concern each (imports point one way: this file → features → api/dom/state):
//   js/dom.js         el(), icons, formatting        js/api.js         fetch with the key, ApiError
//   js/state.js       the shared state, label()      js/apikey.js      the API key field
//   js/files.js       file input and drop zone       js/variations.js  presets and variation boxes
//   js/options.js     option forms from JSON Schema  js/form.js        the form's error and summary
//   js/submit.js      POST /api/jobs, re-runs        js/progress.js    following a job, item cards
//   js/decision.js    the background decision        js/gallery.js     preview tiles and file lists
//   js/preview-bg.js  the preview background       js/viewer.js      a preview in a dialog: zoom, compare

import { setupApiKey } from './js/apikey.js';
import { setupFiles } from './js/files.js';
import { hideFormError } from './js/form.js';
import { setupPreviewBackground } from './js/preview-bg.js';
import { startJob } from './js/progress.js';
import { state } from './js/state.js';
import { setupSubmit } from './js/submit.js';
import { loadVariations } from './js/variations.js';

/** Follows the job named in the address (`#job=<id>`), if any: after a reload the results come back. */
function resumeFromAddress() {
  const id = /^#job=([A-Za-z0-9_-]{1,64})$/.exec(location.hash)?.[1];
  if (!id) return;
  const base = `/api/jobs/${id}`;
  startJob({ id, url: base, eventsUrl: `${base}/events` });
}

setupApiKey(() => {
  hideFormError();
  if (!state.variationsLoaded) loadVariations();
});
setupFiles();
setupSubmit();
setupPreviewBackground();
// labels come from the variations, so the job is resumed once they are in (or have failed to load)
loadVariations().finally(resumeFromAddress);
