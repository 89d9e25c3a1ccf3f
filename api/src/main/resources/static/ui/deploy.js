// Deploy a range from a stored blueprint, or from YAML registered first (POST /api/v1/blueprints). Validation errors
// are shown beside the input they concern: errors[].field of the problem says which.
import { h } from './dom.js';
import { call, problemErrors, problemText } from './api.js';
import { announce, navigate } from './nav.js';

export function deployView(main, signal) {
  main.append(h('h1', {}, 'Deploy a range'));

  // --- from a stored blueprint ---
  const select = h('select#stored-blueprint', { name: 'blueprintId', required: true,
    'aria-describedby': 'stored-blueprint-errors' }, h('option', { value: '' }, 'Loading blueprints…'));
  const storedName = h('input#stored-name', { name: 'name', required: true, 'aria-describedby': 'stored-name-errors' });
  const storedErrors = errorList('stored-blueprint-errors');
  const storedNameErrors = errorList('stored-name-errors');
  const storedMessage = h('p.error#stored-message', { role: 'alert', hidden: true });
  const stored = h('form.card#deploy-stored', { 'aria-labelledby': 'stored-heading', onsubmit: async event => {
    event.preventDefault();
    clear(stored);
    await deploy(select.value, storedName.value, { blueprintId: [select, storedErrors],
      name: [storedName, storedNameErrors] }, storedMessage, stored);
  } },
  h('h2#stored-heading', {}, 'From a stored blueprint'),
  h('div.field', {}, h('label', { for: 'stored-blueprint' }, 'Blueprint'), select, storedErrors),
  h('div.field', {}, h('label', { for: 'stored-name' }, 'Range name'), storedName, storedNameErrors),
  storedMessage,
  h('button#deploy-stored-submit', { type: 'submit' }, 'Deploy'));

  // --- from YAML ---
  const file = h('input#yaml-file', { type: 'file', accept: '.yaml,.yml,application/yaml,text/yaml' });
  const yaml = h('textarea#yaml-text', { name: 'yaml', rows: 14, spellcheck: 'false', required: true,
    'aria-describedby': 'yaml-help yaml-errors' });
  const yamlName = h('input#yaml-name', { name: 'name', required: true, 'aria-describedby': 'yaml-name-errors' });
  const yamlErrors = errorList('yaml-errors');
  const yamlNameErrors = errorList('yaml-name-errors');
  const yamlMessage = h('p.error#yaml-message', { role: 'alert', hidden: true });
  file.addEventListener('change', async () => {
    if (file.files[0]) yaml.value = await file.files[0].text();
  });
  const fromYaml = h('form.card#deploy-yaml', { 'aria-labelledby': 'yaml-heading', onsubmit: async event => {
    event.preventDefault();
    clear(fromYaml);
    const registered = await call('/api/v1/blueprints', { method: 'POST', body: yaml.value, type: 'application/yaml' });
    if (!registered.ok) {
      // every field of a blueprint's problem is a place in the YAML: listed under the YAML box
      show(registered, { '*': [yaml, yamlErrors] }, yamlMessage, 'The blueprint was refused');
      return;
    }
    announce('Blueprint registered: ' + registered.body.id);
    loadBlueprints(registered.body.id);
    await deploy(registered.body.id, yamlName.value, { name: [yamlName, yamlNameErrors],
      '*': [yaml, yamlErrors] }, yamlMessage, fromYaml);
  } },
  h('h2#yaml-heading', {}, 'From YAML'),
  h('p.muted#yaml-help', {}, 'Upload a blueprint file or paste its YAML; it is registered as a blueprint first.'),
  h('div.field', {}, h('label', { for: 'yaml-file' }, 'Blueprint file'), file),
  h('div.field', {}, h('label', { for: 'yaml-text' }, 'Blueprint YAML'), yaml, yamlErrors),
  h('div.field', {}, h('label', { for: 'yaml-name' }, 'Range name'), yamlName, yamlNameErrors),
  yamlMessage,
  h('button#deploy-yaml-submit', { type: 'submit' }, 'Register and deploy'));

  main.append(h('div.columns', {}, stored, fromYaml));

  async function loadBlueprints(selected) {
    const result = await call('/api/v1/blueprints', { signal });
    if (signal.aborted) return;
    if (!result.ok) {
      select.replaceChildren(h('option', { value: '' }, 'No blueprints: ' + problemText(result)));
      return;
    }
    const live = result.body.filter(blueprint => !blueprint.retired);
    select.replaceChildren(h('option', { value: '' }, live.length ? 'Choose a blueprint' : 'No blueprint stored yet'),
      ...live.map(blueprint => h('option', { value: blueprint.id, selected: blueprint.id === selected },
        `${blueprint.name} (v${blueprint.version ?? 1}, ${blueprint.id})`)));
  }
  loadBlueprints();
}

async function deploy(blueprintId, name, fields, message, form) {
  const result = await call('/api/v1/ranges', { method: 'POST', body: { blueprintId, name } });
  if (!result.ok) {
    show(result, fields, message, 'The range was refused');
    return;
  }
  announce(`Deploying range ${name}`);
  form.reset();
  navigate('#/ranges/' + encodeURIComponent(result.body.rangeId));
}

function errorList(id) {
  return h('ul.errors#' + id, { hidden: true });
}

function clear(form) {
  form.querySelectorAll('ul.errors').forEach(list => { list.replaceChildren(); list.hidden = true; });
  form.querySelectorAll('[aria-invalid]').forEach(input => input.removeAttribute('aria-invalid'));
  form.querySelectorAll('p.error').forEach(p => { p.hidden = true; });
}

/** Puts each errors[] entry beside its input (fields[field], else fields['*']); the rest in the message. */
function show(result, fields, message, prefix) {
  const errors = problemErrors(result);
  const unplaced = [];
  let first = null;
  for (const error of errors) {
    const target = fields[error.field] || fields['*'];
    if (!target) { unplaced.push(error); continue; }
    const [input, list] = target;
    input.setAttribute('aria-invalid', 'true');
    list.hidden = false;
    list.append(h('li', {}, h('code', {}, error.field), ': ', error.message));
    first = first || input;
  }
  message.textContent = `${prefix}: ${errors.length && !unplaced.length ? 'see the errors beside the fields.'
    : problemText(result)}` + unplaced.map(error => ` ${error.field}: ${error.message}.`).join('');
  message.hidden = false;
  first?.focus();
}
