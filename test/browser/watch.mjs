// Loaded before the suite: records load errors and Content Security Policy violations, so
// a page whose module graph fails to load reports why instead of going silent.
window.__pageProblems = [];
window.addEventListener('error', (event) => window.__pageProblems.push(`error: ${event.message || event.type} ${event.filename ?? ''}`), true);
window.addEventListener('unhandledrejection', (event) => window.__pageProblems.push(`unhandled rejection: ${event.reason?.stack ?? event.reason}`));
document.addEventListener('securitypolicyviolation', (event) => window.__pageProblems.push(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`));
