// Trusted Types for the widget's one script URL: the worker it starts. A host whose policy says
// `require-trusted-types-for 'script'` refuses `new Worker(string)`; the element then passes a
// TrustedScriptURL made by its own named policy, `customer-lens`, which the host allows with
// `trusted-types customer-lens`. Nothing else in the widget writes to a Trusted Types sink (the
// page is built from DOM nodes, never HTML strings).

/** The policy's name, as the host lists it in `trusted-types`. */
export const POLICY_NAME = 'customer-lens';

/** Why the worker could not start: the host enforces Trusted Types without allowing our policy. */
export class TrustedTypesError extends Error {
  constructor(cause) {
    super(`customer-lens: this page requires Trusted Types and its Content Security Policy does not allow the policy "${POLICY_NAME}". Add \`trusted-types ${POLICY_NAME}\` to the policy (see the README's Content Security Policy section).`, { cause });
    this.name = 'TrustedTypesError';
    this.code = 'trustedTypes';
  }
}

/** The script URLs the policy vouches for: only those the widget itself asked for. */
const vouched = new Set();
/** undefined: not tried yet; null: no policy (no Trusted Types, or the host did not allow it). */
let policy;

function ownPolicy() {
  if (policy !== undefined) return policy;
  policy = null;
  const factory = globalThis.trustedTypes;
  if (typeof factory?.createPolicy !== 'function') return policy;
  try {
    policy = factory.createPolicy(POLICY_NAME, {
      createScriptURL(url) {
        if (!vouched.has(url)) throw new TypeError(`customer-lens: the "${POLICY_NAME}" policy only vouches for the widget's own worker, not ${url}`);
        return url;
      },
    });
  } catch {
    // The host's `trusted-types` directive leaves the name out (or another copy of the widget
    // made it first). The plain URL still works where Trusted Types are not enforced.
  }
  return policy;
}

/** `url` as a TrustedScriptURL where Trusted Types exist, else as a string. */
export function trustedScriptUrl(url) {
  const text = String(url);
  const own = ownPolicy();
  if (!own) return text;
  vouched.add(text);
  return own.createScriptURL(text);
}

/**
 * A module worker from `url`, through the policy. When the page enforces Trusted Types and the
 * policy was not allowed, throws a TrustedTypesError that says what to add to the host's policy.
 */
export function startModuleWorker(url, options) {
  const scriptUrl = trustedScriptUrl(url);
  try {
    return new Worker(scriptUrl, { ...options, type: 'module' });
  } catch (error) {
    if (typeof scriptUrl === 'string' && error instanceof TypeError && /Trusted/i.test(error.message)) throw new TrustedTypesError(error);
    throw error;
  }
}
