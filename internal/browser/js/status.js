// The HTTP status of the document, as the browser tells it (0 when it does
// not): an expression, shared by loaded.js and browser.DocumentStatus.
(performance.getEntriesByType("navigation")[0] || {}).responseStatus || 0
