// Starts Swagger UI on /api/docs. A file, not an inline script: the pages' CSP is script-src 'self'.
(function () {
  var root = document.getElementById("swagger-ui");
  var csrf = document.querySelector('meta[name="csrf-token"]');
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // the public validator is another site: not reachable offline
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Calls made with a staff session cookie must carry its CSRF token (see xinyong/http/csrf.py).
    requestInterceptor: function (request) {
      if (csrf) request.headers["X-CSRF-Token"] = csrf.content;
      return request;
    },
  });
})();
