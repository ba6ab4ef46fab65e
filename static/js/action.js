/* The case action page (templates/disputes/action.html). The court's ruling on confirmation: its
   reasons and where the case goes belong to a refusal only. */
(function () {
  "use strict";
  var ruling = document.querySelector(".action-form [name=result]");
  if (!ruling) return;
  var fields = Array.prototype.map.call(
    document.querySelectorAll(".action-form [data-refusal]"), function (el) { return el.closest(".field"); }
  );
  function show() { fields.forEach(function (f) { f.hidden = ruling.value === "confirmed"; }); }
  ruling.addEventListener("change", show);
  show();
})();
