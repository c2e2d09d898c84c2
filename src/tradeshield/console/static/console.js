// The menu button on narrow screens; without scripts, no-script.css keeps the menu open.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var nav = document.getElementById("nav");
  if (!button || !nav) {
    return;
  }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    nav.classList.toggle("open", !open);
  });
})();

// The heat map's strength slider: sets the overlay's opacity through a CSS variable
// (the console's policy forbids inline styles in the markup, not styles set from here).
(function () {
  "use strict";
  document.querySelectorAll("[data-heat-opacity]").forEach(function (slider) {
    var figure = slider.closest(".stage-figure");
    var stage = figure && figure.querySelector(".stage");
    if (!stage) {
      return;
    }
    var apply = function () {
      stage.style.setProperty("--heat-opacity", String(Number(slider.value) / 100));
    };
    slider.addEventListener("input", apply);
    apply();
  });
})();
