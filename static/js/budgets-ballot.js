/* The ballot, enhanced (the page works without it): as proposals are ticked, the chosen total and
   the remaining amount follow at once (announced politely by the live region), going over the
   budget is shown in colour and in words, and the confirm button waits while the choice on
   screen is not the saved one. This is a help, never the guard: the server refuses any choice
   over the budget and only ever counts the saved choice. Plain JavaScript, no libraries. */
(function () {
  "use strict";

  var form = document.getElementById("ballot-form");
  if (!form || !window.Intl) {
    return;
  }

  function toCents(text) {
    // "1234.5" (as the server writes it, never localised) → 123450; no floating-point sums.
    var parts = String(text || "0").trim().split(".");
    var whole = parseInt(parts[0], 10) || 0;
    var fraction = ((parts[1] || "") + "00").slice(0, 2);
    return whole * 100 + (parseInt(fraction, 10) || 0);
  }

  var lang = form.getAttribute("data-lang") || document.documentElement.lang || "de";
  var numbers = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function euros(cents) {
    return numbers.format(cents / 100) + "\u00a0€";
  }

  var budget = toCents(form.getAttribute("data-budget"));
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="entries"]'));
  var summary = document.getElementById("ballot-summary");
  var chosen = summary.querySelector('[data-ballot="chosen"]');
  var remaining = summary.querySelector('[data-ballot="remaining"]');
  var over = summary.querySelector('[data-ballot="over"]');
  var overAmount = summary.querySelector('[data-ballot="over-amount"]');
  var options = form.querySelector(".ballot-options-group");
  var confirmButton = document.getElementById("ballot-confirm");
  var unsavedNote = document.getElementById("ballot-unsaved");

  function update() {
    var total = 0;
    var differs = false;
    boxes.forEach(function (box) {
      if (box.checked) {
        total += toCents(box.getAttribute("data-cost"));
      }
      if (box.checked !== box.hasAttribute("data-saved")) {
        differs = true;
      }
    });
    var isOver = total > budget;
    if (chosen) {
      chosen.textContent = euros(total);
    }
    if (remaining) {
      remaining.textContent = euros(isOver ? 0 : budget - total);
    }
    if (over) {
      over.hidden = !isOver;
    }
    if (overAmount) {
      overAmount.textContent = euros(isOver ? total - budget : 0);
    }
    if (summary) {
      summary.classList.toggle("ballot-over", isOver);
    }
    if (options) {
      options.classList.toggle("ballot-options-over", isOver);
    }
    if (confirmButton) {
      confirmButton.disabled = differs || isOver;
      if (unsavedNote) {
        unsavedNote.hidden = !differs;
      }
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "entries") {
      update();
    }
  });
  // The browser may bring back ticks from before (back button, restored tab): count those too.
  window.addEventListener("pageshow", update);
  update();
})();
