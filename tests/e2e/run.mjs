// Browser tests of the inbeeld web UI: playwright-core driving Debian's chromium, headless,
// against `inbeeld serve` on a random loopback port over a fresh `inbeeld init` store.
// Each flow runs start to finish in a fresh browser profile; every screen it reaches is saved
// as tests/e2e/screenshots/NN-flow-screen.png. Output is TAP ("ok N - …" / "not ok N - …").
//
//   node tests/e2e/run.mjs            (INBEELD=path/to/inbeeld, CHROMIUM=path/to/chromium)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const inbeeld = process.env.INBEELD || join(root, 'build/inbeeld');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = join(here, 'screenshots');
const work = mkdtempSync(join(tmpdir(), 'inbeeld-e2e-'));

// The flags this machine needs; a fresh --user-data-dir is given per flow.
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking', '--disable-component-update',
	'--disable-sync'];

// The accounts the flows sign in with (made by `inbeeld user add` before the server starts).
const users = {
	policy: { name: 'sanne', display: 'Sanne Jansen', org: 'municipality:GM0344',
		roles: 'policy', password: 'zelfscan-voorjaar-2026' },
	jobcoach: { name: 'ahmed', display: 'Ahmed Bakri', org: 'uwv:UWV',
		roles: 'jobcoach', password: 'werkplek-gevonden-77' },
	editor: { name: 'redactie', display: 'Eva de Redacteur', org: 'municipality:GM0344',
		roles: 'editor', password: 'alles-netjes-bijwerken' },
};

// ---- the server ----

function startServer() {
	const db = join(work, 'inbeeld.db');
	const keyfile = join(work, 'inbeeld.key');
	const run = (...args) => execFileSync(inbeeld, [...args, '--db', db, '--keyfile', keyfile],
		{ stdio: 'pipe' });
	run('init');
	// Two partners of a region and an editor, each with an account.
	run('org', 'add', '--kind', 'municipality', '--ident', 'GM0344', '--name', 'Gemeente Utrecht');
	run('org', 'add', '--kind', 'uwv', '--ident', 'UWV', '--name', 'UWV Midden-Utrecht');
	for (const u of Object.values(users)) {
		const pw = join(work, `${u.name}.pw`);
		writeFileSync(pw, `${u.password}\n`, { mode: 0o600 });
		run('user', 'add', u.name, '--org', u.org, '--role', u.roles, '--name', u.display,
			'--password-file', pw);
	}
	return new Promise((resolveStart, rejectStart) => {
		let tries = 0;
		const attempt = () => {
			const port = 20000 + Math.floor(Math.random() * 20000);
			const child = spawn(inbeeld, ['serve', '--db', db, '--keyfile', keyfile,
				'--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
			let out = '', err = '';
			child.stdout.on('data', (d) => {
				out += d;
				const m = out.match(/^listening on (\S+)/m);
				if (m)
					resolveStart({ child, url: m[1].replace(/\/$/, ''), db, keyfile,
						stderr: () => err });
			});
			child.stderr.on('data', (d) => { err += d; });
			child.on('exit', (code) => {
				if (/already in use/.test(err) && ++tries < 10)
					attempt();
				else
					rejectStart(new Error(`inbeeld serve exited with ${code}: ${err.slice(-500)}`));
			});
		};
		attempt();
	});
}

// ---- helpers for the flows ----

class Check extends Error {}

function expect(cond, what) {
	if (!cond) throw new Check(what);
}

async function expectText(page, selector, text) {
	const got = (await page.locator(selector).first().textContent() || '').trim();
	expect(got.includes(text), `${selector}: expected "${text}", got "${got.slice(0, 120)}"`);
}

let shotNumber = 0;
async function screenshot(page, flow, screen) {
	shotNumber++;
	const name = `${String(shotNumber).padStart(2, '0')}-${flow}-${screen}.png`;
	await page.screenshot({ path: join(shots, name), fullPage: true });
}

// The frame every page must have: language, landmarks, one h1, the skip link, the switch.
async function expectFrame(page, lang) {
	const facts = await page.evaluate(() => ({
		lang: document.documentElement.lang,
		header: !!document.querySelector('header'),
		nav: !!document.querySelector('nav[aria-label]'),
		main: !!document.querySelector('main#inhoud'),
		footer: !!document.querySelector('footer'),
		h1: document.querySelectorAll('h1').length,
		skip: !!document.querySelector('a.skip-link[href="#inhoud"]'),
		switchLang: document.querySelector('.lang-switch a')?.getAttribute('hreflang'),
		styled: getComputedStyle(document.querySelector('header')).backgroundColor,
		unlabelled: [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
			.filter((el) => !el.labels || el.labels.length === 0).map((el) => el.name),
	}));
	expect(facts.lang === lang, `html lang is "${facts.lang}", expected "${lang}"`);
	expect(facts.header && facts.nav && facts.main && facts.footer,
		`landmarks missing: ${JSON.stringify(facts)}`);
	expect(facts.h1 === 1, `${facts.h1} h1 elements`);
	expect(facts.skip, 'no skip link');
	expect(facts.switchLang === (lang === 'nl' ? 'en' : 'nl'), 'no language switch');
	expect(facts.styled === 'rgb(18, 59, 95)', `stylesheet not applied (header ${facts.styled})`);
	expect(facts.unlabelled.length === 0, `controls without label: ${facts.unlabelled}`);
}

// Press Tab until `predicate` (run in the page) holds for the focused element.
async function tabUntil(page, predicate, arg, max = 40) {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		if (await page.evaluate(predicate, arg)) return i + 1;
	}
	throw new Check(`no focus on the wanted element after ${max} presses of Tab`);
}

// Sign in through the form, as a person would; lands on `path` (the page asked for).
async function signIn(page, url, user, path = '/') {
	if (!page.url().includes('/inloggen')) await page.goto(`${url}/inloggen?terug=${path}`);
	await page.getByLabel('Gebruikersnaam').fill(user.name);
	await page.getByLabel('Wachtwoord').fill(user.password);
	await Promise.all([page.waitForURL((u) => u.pathname === path),
		page.getByRole('button', { name: 'Inloggen' }).click()]);
	await expectText(page, '.signed-in', user.display);
}

async function signOut(page) {
	await Promise.all([page.waitForURL((u) => u.pathname === '/'),
		page.getByRole('button', { name: 'Uitloggen' }).click()]);
	expect(await page.locator('.signed-in').count() === 0, 'still signed in after signing out');
}

// ---- the flows ----

const flows = [];
function flow(name, options, fn) {
	flows.push({ name, options, fn });
}

flow('browse from the knowledge platform to a theme and a practice', {}, async (page, url) => {
	await page.goto(`${url}/kennis`);
	await expectFrame(page, 'nl');
	await expectText(page, 'h1', 'Kennisplatform');
	expect(await page.locator('ol.cards > li').count() === 10, 'not ten themes');
	await screenshot(page, 'browse', 'kennis');

	await page.getByRole('link', { name: 'Uitstroom uit PrO, VSO en entree naar werk' }).click();
	await page.waitForURL(/\/kennis\/thema\/uitstroom-pro-vso-entree$/);
	await expectFrame(page, 'nl');
	await expectText(page, 'h1', 'Uitstroom uit PrO, VSO en entree');
	expect(await page.locator('ol.actions > li').count() > 0, 'theme without actions');
	await screenshot(page, 'browse', 'thema');

	const practice = page.locator('#praktijk + ul a').first();
	const name = (await practice.textContent()).trim();
	await practice.click();
	await page.waitForURL(/\/kennis\/praktijk\//);
	await expectFrame(page, 'nl');
	await expectText(page, 'h1', name);
	expect(await page.locator('dl.facts dt').count() >= 2, 'practice without facts');
	await screenshot(page, 'browse', 'praktijk');

	// The breadcrumb leads back.
	await page.locator('nav.breadcrumb a').click();
	await page.waitForURL(/\/kennis$/);
});

flow('skip link moves focus to the content', {}, async (page, url) => {
	await page.goto(`${url}/kennis`);
	await page.keyboard.press('Tab');
	const first = await page.evaluate(() => document.activeElement.className);
	expect(first === 'skip-link', `first Tab focuses "${first}", not the skip link`);
	await screenshot(page, 'skiplink', 'focused');
	await page.keyboard.press('Enter');
	const id = await page.evaluate(() => document.activeElement.id);
	expect(id === 'inhoud', `after Enter the focus is on "${id}", not main#inhoud`);
});

flow('search with the keyboard only', {}, async (page, url) => {
	await page.goto(`${url}/`);
	await expectFrame(page, 'nl');
	await screenshot(page, 'search', 'start');
	await tabUntil(page, () => document.activeElement.id === 'site-search-q');
	await page.keyboard.type('stageplaatsen');
	await Promise.all([page.waitForURL(/\/kennis\/zoeken\?q=stageplaatsen/),
		page.keyboard.press('Enter')]);
	await expectFrame(page, 'nl');
	await expectText(page, 'h2#resultaten', 'stageplaatsen');
	const hits = await page.locator('ol.results > li').count();
	expect(hits > 0, 'no results');
	expect(await page.locator('ol.results mark').count() > 0, 'no highlighted words');
	await screenshot(page, 'search', 'results');

	const href = await page.locator('ol.results a').first().getAttribute('href');
	await tabUntil(page, (h) => document.activeElement.getAttribute('href') === h, href, 60);
	await screenshot(page, 'search', 'first-result-focused');
	await Promise.all([page.waitForURL((u) => u.href.startsWith(`${url}${href.split('#')[0]}`)),
		page.keyboard.press('Enter')]);
	await expectFrame(page, 'nl');
	await screenshot(page, 'search', 'opened');
});

flow('search with filters', {}, async (page, url) => {
	await page.goto(`${url}/kennis/zoeken`);
	await page.getByLabel('Zoek in het kennisplatform').fill('jongeren');
	await page.getByLabel('Vraagstuk').selectOption('verzuim-en-uitval');
	await page.getByRole('button', { name: 'Zoeken' }).click();
	await page.waitForURL(/thema=verzuim-en-uitval/);
	const hrefs = await page.locator('ol.results h3 a').evaluateAll(
		(links) => links.map((a) => a.getAttribute('href')));
	expect(hrefs.length > 0, 'no results within the theme');
	const outside = hrefs.filter((h) => h.startsWith('/kennis/thema/') &&
		!h.startsWith('/kennis/thema/verzuim-en-uitval'));
	expect(outside.length === 0, `results outside the theme: ${outside}`);
	await screenshot(page, 'filters', 'results');
});

flow('switch to English and back', {}, async (page, url) => {
	await page.goto(`${url}/kennis`);
	await page.locator('.lang-switch a').click();
	await page.waitForURL(/lang=en/);
	await expectFrame(page, 'en');
	await expectText(page, 'h1', 'Knowledge platform');
	await screenshot(page, 'english', 'kennis');
	// The choice is kept in a cookie: the next page, reached by a plain link, is English too.
	await page.getByRole('link', { name: 'Absence and dropout' }).first().click();
	await page.waitForURL(/\/kennis\/thema\/verzuim-en-uitval$/);
	await expectFrame(page, 'en');
	await expectText(page, '#acties', 'Possible actions');
	await screenshot(page, 'english', 'theme');
	await page.getByRole('link', { name: 'Frequently asked questions', exact: true }).click();
	await expectFrame(page, 'en');
	await screenshot(page, 'english', 'faq');
	await page.locator('.lang-switch a').click();
	await page.waitForURL(/lang=nl/);
	await expectFrame(page, 'nl');
	await expectText(page, 'h1', 'Veelgestelde vragen');
});

flow('questions filtered by theme without JavaScript', { javaScriptEnabled: false },
	async (page, url) => {
		await page.goto(`${url}/kennis/vragen`);
		await expectFrame(page, 'nl');
		const all = await page.locator('section.faq-theme').count();
		expect(all === 10, `${all} theme sections`);
		await page.getByLabel('Vraagstuk').selectOption('aansluiting-vmbo-mbo');
		await page.getByRole('button', { name: 'Tonen' }).click();
		await page.waitForURL(/thema=aansluiting-vmbo-mbo/);
		expect(await page.locator('section.faq-theme').count() === 1, 'filter did not apply');
		expect(await page.locator('section.faq-theme h3').count() > 0, 'no questions');
		await screenshot(page, 'faq', 'filtered');
	});

flow('an unknown page answers 404 in the frame', { allowConsole: /status of 404/ }, async (page, url) => {
	const resp = await page.goto(`${url}/kennis/thema/bestaat-niet`);
	expect(resp.status() === 404, `status ${resp.status()}`);
	await expectFrame(page, 'nl');
	await expectText(page, 'h1', 'Pagina niet gevonden');
	await screenshot(page, 'notfound', 'page');
});

flow('sign in, see the organisation, sign out', { allowConsole: /status of 401/ },
	async (page, url) => {
		await page.goto(`${url}/`);
		await page.getByRole('link', { name: 'Inloggen' }).click();
		await page.waitForURL(/\/inloggen/);
		await expectFrame(page, 'nl');
		await screenshot(page, 'signin', 'form');
		// A wrong password: the form again, with the reason announced.
		await page.getByLabel('Gebruikersnaam').fill(users.policy.name);
		await page.getByLabel('Wachtwoord').fill('niet-het-goede-wachtwoord');
		await page.getByRole('button', { name: 'Inloggen' }).click();
		await expectText(page, '[role=alert]', 'klopt niet');
		await screenshot(page, 'signin', 'refused');
		await signIn(page, url, users.policy, '/');
		await expectText(page, '.signed-in', 'Gemeente Utrecht');
		expect(await page.getByRole('link', { name: 'Zelfscan' }).count() === 1,
			'no link to the self-scan once signed in');
		await screenshot(page, 'signin', 'signed-in');
		await signOut(page);
	});

flow('complete a self-scan, read its profile, compare with the next', {}, async (page, url) => {
	// Asked for without a session, the page leads to the sign-in and back.
	await page.goto(`${url}/scan`);
	await page.waitForURL(/\/inloggen\?terug=%2Fscan/);
	await signIn(page, url, users.policy, '/scan');
	await expectFrame(page, 'nl');
	await page.getByLabel('Regio', { exact: true }).fill('MC17');
	await page.getByLabel('Titel').fill('Voorjaar 2026');
	await page.getByRole('button', { name: 'Zelfscan starten' }).click();
	await page.waitForURL(/\/scan\/\d+$/);
	const scanUrl = page.url();
	await expectFrame(page, 'nl');
	const answer = async (action, level) => {
		await page.getByRole('group', { name: action }).getByLabel(level, { exact: true }).check();
	};
	await answer('Werk met één regionale leerlingenprognose', 'Bezig');
	await answer('Stel een regionaal spreidingsplan op', 'Gepland');
	await answer('Deel gebouwen en voorzieningen', 'Niet gestart');
	const group = page.getByRole('group', { name: 'Werk met één regionale leerlingenprognose' });
	await group.getByLabel('Toelichting').fill('Prognose 2026 gedeeld met alle besturen.');
	await group.getByLabel(/Betrokken partners/).fill('Gemeente Utrecht, ROC Midden Nederland');
	await screenshot(page, 'scan', 'answers');
	await page.getByRole('button', { name: 'Antwoorden opslaan' }).first().click();
	await page.waitForURL(/\/scan\/\d+\/profiel$/);
	await expectFrame(page, 'nl');
	expect(await page.locator('figure.chart svg rect').count() === 10, 'not ten bars in the chart');
	await expectText(page, 'table.data tbody tr:first-child td:nth-child(2)', '14');
	expect(await page.locator('ol.recommendations li').count() === 2, 'not two recommendations');
	await expectText(page, 'ol.recommendations li:first-child', 'spreidingsplan');
	await screenshot(page, 'scan', 'profile');
	await page.getByRole('button', { name: 'Zelfscan afsluiten' }).click();
	await page.waitForURL(/\/profiel$/);

	// A second scan of the region, further along, compares with the first.
	await page.goto(`${url}/scan`);
	await page.getByLabel('Regio', { exact: true }).fill('MC17');
	await page.getByLabel('Titel').fill('Najaar 2026');
	await page.getByRole('button', { name: 'Zelfscan starten' }).click();
	await page.waitForURL((u) => /\/scan\/\d+$/.test(u.pathname) && u.href !== scanUrl);
	await answer('Werk met één regionale leerlingenprognose', 'Verankerd');
	await answer('Stel een regionaal spreidingsplan op', 'Bezig');
	await page.getByRole('button', { name: 'Antwoorden opslaan' }).first().click();
	await page.waitForURL(/\/profiel$/);
	await expectText(page, '.comparison', 'Voorjaar 2026');
	await expectText(page, 'table.data tbody tr:first-child td:nth-child(5)', '+10');
	await screenshot(page, 'scan', 'comparison');
});

flow('start a forum thread and answer it', { allowConsole: /status of 400/ }, async (page, url) => {
	await signIn(page, url, users.policy, '/forum');
	await expectFrame(page, 'nl');
	await expectText(page, '#forum-privacy', 'geen persoonsgegevens van jongeren');
	await page.getByLabel('Vraagstuk', { exact: true }).last().selectOption('verzuim-en-uitval');
	await page.getByLabel('Titel').fill('Thuiszitters in beeld houden');
	await page.getByLabel('Uw bericht').fill('Hoe houden jullie **thuiszitters** in beeld?');
	await screenshot(page, 'forum', 'start');
	await page.getByRole('button', { name: 'Onderwerp plaatsen' }).click();
	await page.waitForURL(/\/forum\/\d+$/);
	const threadUrl = page.url();
	await expectFrame(page, 'nl');
	await expectText(page, 'h1', 'Thuiszitters in beeld houden');
	await signOut(page);

	await page.goto(threadUrl);
	await signIn(page, url, users.jobcoach, new URL(threadUrl).pathname);
	// A BSN in a reply is refused, with the reason, and the text is kept.
	await page.getByLabel('Uw reactie').fill('Zie leerling 111222333.');
	await page.getByRole('button', { name: 'Reactie plaatsen' }).click();
	await expectText(page, '[role=alert]', 'BSN');
	await screenshot(page, 'forum', 'refused');
	await page.getByLabel('Uw reactie').fill('Wij bellen elke week met de leerplichtambtenaar.');
	await page.getByRole('button', { name: 'Reactie plaatsen' }).click();
	await page.waitForURL(/#post-\d+$/);
	expect(await page.locator('.forum-post').count() === 2, 'the reply is not shown');
	await expectText(page, '.forum-post:last-of-type', 'leerplichtambtenaar');
	// Report the opening post to the editors.
	await page.getByLabel('Waarom meldt u dit bericht?').fill('Test van de meldknop.');
	await page.getByRole('button', { name: 'Melden' }).click();
	await page.waitForURL(/gemeld=1/);
	await expectText(page, 'main [role=status]', 'Dank u');
	await screenshot(page, 'forum', 'thread');
});

flow('an editor changes a practice and publishes it', {}, async (page, url) => {
	await signIn(page, url, users.editor, '/kennis/praktijk/deltion-jeugdteam');
	await page.getByRole('link', { name: 'Bewerken' }).click();
	await page.waitForURL(/\/bewerken$/);
	await expectFrame(page, 'nl');
	await screenshot(page, 'editor', 'form');
	await page.getByLabel('Naam (Nederlands)').fill('Deltion-Jeugdteam in Zwolle');
	await page.getByLabel('Wat is er veranderd').fill('Plaats toegevoegd');
	// First as a draft: the public page does not change.
	await page.getByRole('button', { name: 'Opslaan als concept' }).click();
	await page.waitForURL(/opgeslagen=1/);
	await expectText(page, 'main [role=status]', 'concept');
	const pub = await page.context().request.get(`${url}/kennis/praktijk/deltion-jeugdteam`);
	expect(!(await pub.text()).includes('Deltion-Jeugdteam in Zwolle'), 'a draft went public');
	await page.getByRole('button', { name: 'Opslaan en publiceren' }).click();
	await page.waitForURL(/\/kennis\/praktijk\/deltion-jeugdteam$/);
	await expectText(page, 'h1', 'Deltion-Jeugdteam in Zwolle');
	await screenshot(page, 'editor', 'published');
	await page.getByRole('link', { name: 'Bewerken' }).click();
	// The seeded version, and the draft that was then published as it stood.
	expect(await page.locator('#versies + table tbody tr').count() === 2, 'not two versions');
	await expectText(page, '#versies + table tbody tr:nth-child(2)', 'gepubliceerd');
	await screenshot(page, 'editor', 'history');
});

// ---- running ----

async function runFlow(n, f, url) {
	const profile = mkdtempSync(join(work, 'profile-'));
	const { allowConsole, ...contextOptions } = f.options;
	const context = await chromium.launchPersistentContext(profile, {
		executablePath, headless: true, args: chromiumArgs,
		viewport: { width: 1100, height: 800 }, ...contextOptions,
	});
	const problems = [];
	const watch = (page) => {
		page.on('console', (m) => {
			if (m.type() === 'error' && !(allowConsole && allowConsole.test(m.text())))
				problems.push(m.text());
		});
		page.on('pageerror', (e) => problems.push(String(e)));
	};
	context.pages().forEach(watch);
	context.on('page', watch);
	const page = context.pages()[0] || await context.newPage();
	page.setDefaultTimeout(10000);
	try {
		await f.fn(page, url);
		// A CSP violation or script error on any screen fails the flow.
		expect(problems.length === 0, `console errors: ${problems.join(' | ').slice(0, 400)}`);
		console.log(`ok ${n} - ${f.name}`);
		return true;
	} catch (e) {
		console.log(`not ok ${n} - ${f.name}`);
		for (const line of String(e.message || e).split('\n').slice(0, 8))
			console.log(`  # ${line}`);
		await screenshot(page, 'failed', String(n)).catch(() => {});
		return false;
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

async function main() {
	mkdirSync(shots, { recursive: true });
	for (const old of readdirSync(shots)) if (old.endsWith('.png')) unlinkSync(join(shots, old));
	// The flows, then one more test: the server stops cleanly (under the sanitizers this is
	// where a leak or memory error in a request would show).
	console.log(`1..${flows.length + 1}`);
	let server;
	try {
		server = await startServer();
	} catch (e) {
		flows.forEach((f, i) => console.log(`not ok ${i + 1} - ${f.name}\n  # ${e.message}`));
		return 1;
	}
	let failed = 0, exit = null;
	try {
		for (let i = 0; i < flows.length; i++)
			if (!(await runFlow(i + 1, flows[i], server.url))) failed++;
	} finally {
		exit = await new Promise((done) => {
			const timer = setTimeout(() => { server.child.kill('SIGKILL'); done('timeout'); },
				15000);
			server.child.on('exit', (code, signal) => { clearTimeout(timer); done(signal || code); });
			server.child.kill('SIGTERM');
		});
		rmSync(work, { recursive: true, force: true });
	}
	if (exit === 0) {
		console.log(`ok ${flows.length + 1} - the server stopped cleanly`);
	} else {
		failed++;
		console.log(`not ok ${flows.length + 1} - the server stopped cleanly`);
		console.log(`  # exit: ${exit}`);
		for (const line of server.stderr().split('\n').filter((l) => !/ info: /.test(l)).slice(-30))
			console.log(`  # ${line}`);
	}
	console.log(`# ${failed} failed; screenshots in ${shots}`);
	return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
	console.log(`not ok - the runner failed: ${e.stack || e}`);
	process.exit(1);
});
