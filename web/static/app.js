/*
 * inbeeld: small enhancements on pages that work without script (docs/ui.md).
 *
 * 1. The language switch keeps the reader's place: the page's #fragment (an action or a
 *    question) is added to the switch link, which the server cannot see.
 * 2. Following an in-page link (the skip link, "on this page") moves keyboard focus to the
 *    target too, so the next Tab continues from there in every browser.
 */
(function () {
	'use strict';

	function keepFragment() {
		var link = document.querySelector('.lang-switch a');
		if (!link) return;
		function update() {
			var href = link.getAttribute('href').split('#')[0];
			link.setAttribute('href', href + window.location.hash);
		}
		update();
		window.addEventListener('hashchange', update);
	}

	function focusTargets() {
		document.addEventListener('click', function (event) {
			var link = event.target.closest && event.target.closest('a[href^="#"]');
			if (!link) return;
			var id = decodeURIComponent(link.getAttribute('href').slice(1));
			var target = id && document.getElementById(id);
			if (!target) return;
			if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
			target.focus({ preventScroll: false });
		});
	}

	keepFragment();
	focusTargets();
}());
