// Starts Swagger UI on the API reference page (/schema). A file, not an inline script: the
// page runs under the same Content-Security-Policy as every other page.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
});
