// The lessons, walked the way a reader would in Chromium and Firefox: every chapter opens
// from "Next chapter", loads its run, answers its question through the simulation (what the
// run showed appears only then, and the reader's score in the chapter list counts it),
// moves the code panel's highlight by stepping the followed request, opens its model notes
// from the keyboard, and passes axe-core.
// Then deep links, progress kept across a reload (an earlier page's too), and a hostile
// link.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { screenshotPath } from "./lib/browsers.mjs";
import { BROWSERS, appState, axeSerious, foreignRequests, openTab, openWatched, problems, waitFor } from "./lib/page.mjs";


const CHAPTERS = 12;

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const has = async (page, sel) => (await page.$(sel)) !== null;

/** The workbench's tabs after the charts (open by default), each a tool of its own. */
const OTHER_TABS = ["sweep", "editor", "log", "share", "glossary"];

/**
 * Opens the chapter list's menu (below 88rem the list is a menu, not a side column) with
 * a click on its summary, if it is closed.
 */
async function openChapterMenu(page) {
  if (await page.$eval("details.toc-menu", (d) => d.open)) return;
  await page.click("details.toc-menu > summary");
  await page.waitForSelector("details.toc-menu[open]");
}


/** The index of the highlighted line of the code panel's first listing, or -1. */
const currentLine = (page) =>
  page.evaluate(() => {
    const lines = [...document.querySelectorAll(".code-panel .listing:first-of-type .code-line")];
    return lines.findIndex((l) => l.classList.contains("current"));
  });


for (const kind of BROWSERS) {
  describe(`the lessons in ${kind.name}`, () => {
    let browser;
    before(async () => {
      browser = await kind.launch();
    });
    after(async () => {
      await browser?.close();
    });

    test("every chapter opens, answers its question, moves the code highlight and passes axe", async () => {
      const { page, console: messages, errors, requests } = await openWatched(kind, browser, server.url);
      assert.equal(await appState(page), "ready");
      const report = [];
      // The reader's score, as the chapter list says it: answered, and right first time.
      const score = async () => {
        const said = await text(page, "nav.toc .toc-progress");
        const m = /^(\d+) of 11 questions answered · (\d+) right first time$/.exec(said);
        assert.ok(m, `the chapter list's score reads "${said}"`);
        return [Number(m[1]), Number(m[2])];
      };
      const [answered0, right0] = await score();
      let right = right0;
      for (let n = 1; n <= CHAPTERS; n++) {
        const title = await text(page, "#lesson-title");
        assert.equal(await text(page, ".lesson-count"), `Chapter ${n} of ${CHAPTERS}`);
        const slug = await page.$eval(".lesson", (e) => e.dataset.chapter);
        await waitFor(page, (s) => new URLSearchParams(location.search).get("ch") === s, slug);
        // The first paragraph leads the chapter's head; the others follow in the lesson.
        const paragraphs = (await page.$$(".lesson-head .lesson-lead")).length + (await page.$$(".lesson .prose p")).length;
        assert.ok(paragraphs >= 2, `${title}: prose`);
        if (n < CHAPTERS) {
          // The chapter's run is loaded, and the scenario list says so.
          const shown = await page.$eval("#preset", (s) => s.selectedOptions[0].textContent.trim());
          assert.equal(shown, `Chapter ${n}'s run`);
        }
        if (n < CHAPTERS) assert.ok((await page.$$(".lesson .sources li")).length >= 1, `${title}: sources`);

        // The model notes: a closed disclosure that the keyboard opens, with text. Left
        // open, so the axe scan below sees the notes too.
        assert.equal(await page.$$eval(".lesson details.model-notes", (d) => d.length), 1, `${title}: model notes`);
        assert.equal(await page.$eval(".lesson details.model-notes", (d) => d.open), false, `${title}: model notes start closed`);
        assert.equal(await text(page, ".lesson details.model-notes > summary"), "Model notes");
        await page.focus(".lesson details.model-notes > summary");
        assert.equal(await page.evaluate(() => document.activeElement?.matches("details.model-notes > summary")), true);
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => document.querySelector(".lesson details.model-notes").open);
        const notes = await page.$$eval(".lesson details.model-notes li", (li) => li.map((l) => l.textContent.trim()));
        assert.ok(notes.length >= 1 && notes.every((t) => t.length > 40 && t.endsWith(".")), `${title}: model notes ${JSON.stringify(notes)}`);
        assert.ok(await page.$eval(".lesson details.model-notes ul", (u) => u.getClientRects().length > 0), `${title}: the notes show`);

        // A cue highlights its target: main carries the target, and the cue says it is on.
        const cue = await page.$(".watch .cue");
        if (cue) {
          await cue.click();
          await page.waitForFunction(() => document.querySelector("main").dataset.watch);
          assert.equal(await page.$eval(".watch .cue", (b) => b.getAttribute("aria-pressed")), "true");
        }

        // The code panel: stepping the followed request moves its highlighted line. (The
        // sandbox keeps the run the reader had, whose followed request may be finished.)
        assert.ok(await has(page, ".code-panel"), `${title}: the code panel`);
        if (n < CHAPTERS) {
          const seen = new Set([await currentLine(page)]);
          for (let i = 0; i < 8 && seen.size < 3; i++) {
            await page.click(".step-request");
            await new Promise((r) => setTimeout(r, 60));
            seen.add(await currentLine(page));
          }
          seen.delete(-1);
          assert.ok(seen.size >= 2, `${title}: the highlight moved over lines ${[...seen]}`);
        }

        // Predict, then let the simulation answer.
        if (await has(page, ".question")) {
          assert.equal(await page.$eval(".question .reveal", (b) => b.disabled), true, "no reveal before a guess");
          // What the run showed stays hidden until the reader has predicted.
          assert.equal(await has(page, ".lesson .revealed"), false, `${title}: the reveal shows before the answer`);
          await page.click(".question .choice:nth-child(2) input");
          await page.waitForFunction(() => !document.querySelector(".question .reveal").disabled);
          await page.click(".question .reveal");
          await page.waitForFunction(() => /The simulation says/.test(document.querySelector(".verdict").textContent));
          const verdict = await text(page, ".verdict");
          assert.equal((await page.$$(".question .choice.right")).length, 1, `${title}: one right answer (${verdict})`);
          report.push(`${n}. ${verdict.split(".")[0]}`);
          // Every chapter holds back what the run shows until now.
          assert.ok((await page.$$(".lesson .revealed p")).length >= 1, `${title}: what the run showed`);
          // A fresh reader's first answer counts towards the score; the guess was choice 2.
          if (answered0 === 0 && (await has(page, ".question .choice:nth-child(2).right"))) right += 1;
          if (answered0 === 0) {
            await waitFor(page, (want) => document.querySelector("nav.toc .toc-progress").textContent === want, `${n} of 11 questions answered · ${right} right first time`);
            const mark = await page.$eval(`nav.toc li:nth-child(${n}) a`, (a) => a.textContent);
            assert.match(mark, /\(answered, (right|not right) first time\)/, `${title}: the chapter list marks the answer`);
          }
        }

        if (n === 11) {
          // The I/O-bound or CPU-bound exercise answers each choice at once.
          const rows = await page.$$(".workloads tbody tr");
          assert.ok(rows.length >= 5, "the exercise has rows");
          await page.click(".workloads tbody tr:first-child button");
          assert.match(await text(page, ".workloads tbody tr:first-child .verdict"), /Right|Not quite/);
        }

        // Let arrival animations (260 ms of fading in) finish, so axe measures settled colours.
        await new Promise((r) => setTimeout(r, 400));
        const bad = await axeSerious(page);
        assert.deepEqual(bad, [], `${title}: serious or critical axe violations`);
        // The tools in the other workbench tabs, each scanned with its tab open; then the
        // charts tab again, as the next chapter expects it.
        for (const tab of OTHER_TABS) {
          await openTab(page, tab);
          assert.deepEqual(await axeSerious(page, `#${tab}`), [], `${title}: serious or critical axe violations in the ${tab} tab`);
        }
        await openTab(page, "charts");
        if (n === 4 || n === 8) {
          await page.screenshot({ path: screenshotPath(`lesson-${n}-${kind.name}`), fullPage: true });
        }
        if (n < CHAPTERS) {
          await page.click(".lesson-nav button:last-child");
          await waitFor(page, (c) => document.querySelector(".lesson-count").textContent === `Chapter ${c} of 12`, n + 1);
        }
      }
      console.log(`${kind.name} answers:\n  ${report.join("\n  ")}`);
      assert.ok(report.length >= 11, "chapters 1-11 each asked and answered a question");
      assert.deepEqual(problems(messages), [], "console errors or warnings");
      assert.deepEqual(errors, [], "uncaught page errors");
      assert.deepEqual(foreignRequests(requests, server.origin), [], "requests to other origins");
      await page.close();
    });

    test("every chapter fits a 360 px screen", async () => {
      // From chapter 1 by link: an earlier test may have left progress that resumes elsewhere.
      const { page } = await openWatched(kind, browser, `${server.url}?chapter=1`, { viewport: { width: 360, height: 740 } });
      assert.equal(await appState(page), "ready");
      for (let n = 1; n <= CHAPTERS; n++) {
        if (n > 1) {
          await page.click(".lesson-nav button:last-child");
          await waitFor(page, (c) => document.querySelector(".lesson-count").textContent === `Chapter ${c} of 12`, n);
        }
        if (await has(page, ".step-request")) await page.click(".step-request");
        // With its model notes open, too.
        await page.click(".lesson details.model-notes > summary");
        await page.waitForFunction(() => document.querySelector(".lesson details.model-notes").open);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 360, `chapter ${n} is ${width} px wide at a 360 px viewport`);
      }
      await page.screenshot({ path: screenshotPath(`lesson-narrow-${kind.name}`) });
      await page.close();
    });

    test("a deep link opens its chapter, and progress survives a reload", async () => {
      const { page, errors } = await openWatched(kind, browser, `${server.url}?chapter=starvation`);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, "#lesson-title"), "Starvation");
      // At 1280 px the chapter list is the menu.
      await openChapterMenu(page);
      assert.match(await text(page, "details.toc-menu [aria-current='page']"), /Starvation/);
      await page.click(".question .choice:first-child input");
      await page.click(".question .reveal");
      await page.waitForFunction(() => /The simulation says/.test(document.querySelector(".verdict").textContent));
      // Answering is not moving to a chapter: focus stays out of the title.
      assert.notEqual(await page.evaluate(() => document.activeElement?.id), "lesson-title");
      // It goes to what replaced the pressed button, and back to the choices after it.
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Predict again");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.matches(".question .choice input"));
      // A chapter number works too, and the table of contents links carry the slug.
      await page.goto(`${server.url}?chapter=2`);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, ".lesson-count"), "Chapter 2 of 12");
      await openChapterMenu(page);
      const href = await page.$eval("details.toc-menu li:nth-child(7) a", (a) => a.getAttribute("href"));
      assert.equal(href, "?chapter=starvation");
      const marks = await page.$eval("details.toc-menu li:nth-child(7) a", (a) => a.textContent);
      assert.match(marks, /answered/, "the answered chapter is marked after a reload");
      // With no link, the reader comes back where they left off.
      await page.goto(server.url);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, ".lesson-count"), "Chapter 2 of 12");
      assert.deepEqual(errors, []);
      await page.close();
    });

    test("progress stored by an earlier page, without first answers, still loads", async () => {
      const { page, errors } = await openWatched(kind, browser, `${server.url}?chapter=1`);
      assert.equal(await appState(page), "ready");
      // Chapters 1 and 2 opened, chapter 1 answered, last at chapter 2: the value an
      // earlier Await Lab stored, before it recorded first answers.
      await page.evaluate(() => localStorage.setItem("await-lab:progress", "1:3:1:1"));
      await page.goto(server.url);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, ".lesson-count"), "Chapter 2 of 12");
      assert.equal(await text(page, "nav.toc .toc-progress"), "1 of 11 questions answered · 0 right first time");
      assert.match(await page.$eval("nav.toc li:nth-child(1) a", (a) => a.textContent), /\(answered\)/);
      // The next answer is stored in the new form.
      await page.click(".question .choice:first-child input");
      await page.click(".question .reveal");
      await page.waitForFunction(() => /The simulation says/.test(document.querySelector(".verdict").textContent));
      await waitFor(page, () => localStorage.getItem("await-lab:progress").split(":").length === 7);
      assert.match(await text(page, "nav.toc .toc-progress"), /^2 of 11 questions answered · [01] right first time$/);
      assert.deepEqual(errors, []);
      await page.close();
    });

    test("links and progress from the eleven-chapter page open the same places", async () => {
      const { page, errors } = await openWatched(kind, browser, `${server.url}?chapter=anti-patterns`);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, ".lesson-count"), "Chapter 10 of 12");
      assert.equal(await text(page, "#lesson-title"), "Blocking on async code");
      // A run that moved to chapter 11, named with chapter 10: chapter 11 opens with it.
      await page.goto(`${server.url}?ch=10&r=task-run`);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, ".lesson-count"), "Chapter 11 of 12");
      assert.equal(await has(page, ".notice"), false, "an old link shows no message");
      assert.equal(await page.$eval(".setups button[aria-pressed='true']", (b) => b.textContent), "Task.Run around ToList() against ToListAsync()");
      await page.goto(`${server.url}?chapter=anti-patterns&r=partial`);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, ".lesson-count"), "Chapter 11 of 12");
      assert.equal(await page.$eval(".setups button[aria-pressed='true']", (b) => b.textContent), "ToListAsync().Result against ToList()");
      // The sandbox was chapter 11.
      await page.goto(`${server.url}?chapter=11`);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, ".lesson-count"), "Chapter 12 of 12");
      assert.equal(await text(page, "#lesson-title"), "Sandbox");
      // Progress stored then: chapter 10 answered right first time, last on the sandbox.
      await page.evaluate(() => localStorage.setItem("await-lab:progress", `1:${1 | (1 << 9) | (1 << 10)}:${1 << 9}:10:${1 << 9}:0`));
      await page.goto(server.url);
      assert.equal(await appState(page), "ready");
      assert.equal(await text(page, ".lesson-count"), "Chapter 12 of 12");
      assert.equal(await text(page, "nav.toc .toc-progress"), "1 of 11 questions answered · 1 right first time");
      assert.match(await page.$eval("nav.toc li:nth-child(10) a", (a) => a.textContent), /answered, right first time/);
      assert.doesNotMatch(await page.$eval("nav.toc li:nth-child(11) a", (a) => a.textContent), /answered/);
      assert.deepEqual(errors, []);
      await page.close();
    });

    test("a sandbox challenge is loaded, fixed in the scenario editor and passes its check", async () => {
      const { page, console: messages, errors } = await openWatched(kind, browser, `${server.url}?chapter=sandbox`);
      assert.equal(await appState(page), "ready");
      assert.equal(await page.$$eval(".challenges .challenge", (l) => l.length), 3);
      const first = ".challenge[data-challenge='0']";
      await page.click(`${first} .challenge-load`);
      await page.waitForSelector(`${first} .challenge-check`);
      assert.equal(await page.$eval(`${first} .challenge-load`, (b) => b.getAttribute("aria-pressed")), "true");
      // The starting scenario fails, with the number measured.
      await page.click(`${first} .challenge-check`);
      await waitFor(page, (s) => /Not yet/.test(document.querySelector(`${s} .challenge-verdict`).textContent), first);
      assert.match(await text(page, `${first} .challenge-verdict`), /requests a second over the run/);
      // The editor holds the challenge's scenario: raise the minimum threads and apply.
      await openTab(page, "editor");
      assert.equal(await page.$eval("#ed-load-users", (i) => i.value), "100");
      await page.focus("#ed-pool-min_threads");
      await page.evaluate(() => document.querySelector("#ed-pool-min_threads").select());
      await page.keyboard.type("100");
      await page.waitForFunction(() => !document.querySelector("button.ed-apply").disabled);
      await page.keyboard.press("Enter");
      // Applying a new scenario clears the old verdict; the check passes now.
      await waitFor(page, (s) => document.querySelector(`${s} .challenge-verdict`).textContent === "", first);
      await page.click(`${first} .challenge-check`);
      await waitFor(page, (s) => /Passed/.test(document.querySelector(`${s} .challenge-verdict`).textContent), first);
      assert.match(await text(page, `${first} h4`), /solved/);
      await waitFor(page, () => localStorage.getItem("await-lab:progress").split(":")[6] === "1");
      assert.deepEqual(await axeSerious(page, ".challenges"), []);
      // The applied scenario became the reader's own; later tests start without one.
      await page.evaluate(() => localStorage.removeItem("await-lab:own"));
      assert.deepEqual(problems(messages), [], "console errors or warnings");
      assert.deepEqual(errors, [], "uncaught page errors");
      await page.close();
    });

    test("each chapter's knob moves by keyboard, changes the run and travels in the link", async () => {
      // The knob, the keys that move it, the value it reaches, and the figure that shows it.
      const KNOBS = [
        { slug: "one-request-one-thread", keys: ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight"], value: "8", said: "8 threads", figure: "Work items queued" },
        { slug: "starvation", keys: ["End"], value: "256", said: "256 threads", figure: "Work items queued" },
        { slug: "blocking-io-is-the-killer", keys: ["Home"], value: "4", said: "4 users", figure: "Answered, B ÷ A" },
      ];
      const figure = (page, label) =>
        page.evaluate((l) => {
          const dt = [...document.querySelectorAll(".figures dt")].find((e) => e.textContent === l);
          return dt ? Number(dt.nextElementSibling.textContent.replace(/,/g, "")) : NaN;
        }, label);
      // The run to its end with the time slider's own key, and the figure read there.
      const atEnd = async (page, label) => {
        await page.focus("#scrub");
        await page.keyboard.press("End");
        await page.waitForFunction(() => {
          const s = document.querySelector("#scrub");
          return s.value === s.max && document.querySelector("#stage").dataset.timeUs === `${s.max}000`;
        });
        return figure(page, label);
      };
      for (const knob of KNOBS) {
        const { page, console: messages, errors } = await openWatched(kind, browser, `${server.url}?chapter=${knob.slug}`);
        assert.equal(await appState(page), "ready");
        const name = await page.$eval("#knob", (i) => i.labels[0].textContent);
        assert.ok(name.length > 0, `${knob.slug}: the slider has a label`);
        const height = await page.$eval("#knob", (i) => i.getBoundingClientRect().height);
        assert.ok(height >= 40, `${knob.slug}: the slider is ${height} px tall`);
        const before = await atEnd(page, knob.figure);
        const ab = await page.$$eval(".ab-panel td", (c) => c.map((e) => e.textContent).join("|"));
        await page.focus("#knob");
        for (const key of knob.keys) await page.keyboard.press(key);
        await waitFor(page, (v) => document.querySelector("#knob").value === v, knob.value);
        assert.equal(await page.$eval("#knob", (i) => i.getAttribute("aria-valuetext")), knob.said);
        assert.equal(await text(page, ".knob output"), knob.said);
        // The run starts again from 0 s with the value.
        assert.equal(await page.$eval("#stage", (s) => s.dataset.timeUs), "0");
        const after = await atEnd(page, knob.figure);
        assert.notEqual(after, before, `${knob.slug}: ${knob.figure} stays ${before}`);
        if (knob.slug === "one-request-one-thread") assert.deepEqual([before, after], [8, 4]);
        if (knob.slug === "starvation") assert.ok(before > 150 && after === 0, `queued ${before} -> ${after}`);
        if (knob.slug === "blocking-io-is-the-killer") {
          assert.ok(before > 10 && after < 1.2, `B ÷ A ${before} -> ${after}`);
          const ab2 = await page.$$eval(".ab-panel td", (c) => c.map((e) => e.textContent).join("|"));
          assert.notEqual(ab2, ab, "the A/B table follows");
        }
        // The address, a link to the view, carries the value; a fresh page on it restores it.
        await waitFor(page, (v) => new URLSearchParams(location.search).get("k") === v, knob.value);
        const link = await page.evaluate(() => location.href);
        const second = await openWatched(kind, browser, link);
        assert.equal(await appState(second.page), "ready");
        assert.equal(await second.page.$eval("#knob", (i) => i.value), knob.value);
        assert.equal(await second.page.$(".notice"), null, `${knob.slug}: a good link shows no message`);
        assert.equal(await atEnd(second.page, knob.figure), after, `${knob.slug}: the link reopens the run`);
        await second.page.close();
        assert.deepEqual(problems(messages), [], "console errors or warnings");
        assert.deepEqual(errors, [], "uncaught page errors");
        await page.close();
      }
    });

    test("a hostile chapter link shows a message, inserts nothing and leaves the page usable", async () => {
      const hostile = `<img src=x onerror="document.title='pwned'">${"x".repeat(3000)}`;
      const { page, console, errors } = await openWatched(
        kind,
        browser,
        `${server.url}?chapter=${encodeURIComponent(hostile)}`,
      );
      assert.equal(await appState(page), "ready");
      const notice = await text(page, ".notice");
      assert.match(notice, /chapter parameter/);
      assert.match(notice, /from 1 to 12/);
      assert.ok(notice.length < 400, "the message quotes a shortened value");
      assert.equal(await page.$$eval(".notice img", (i) => i.length), 0, "nothing from the link became markup");
      assert.notEqual(await page.title(), "pwned");
      assert.equal(await text(page, ".lesson-count"), "Chapter 1 of 12");
      // (An earlier test may have left a scenario of the reader's own, which the notice
      // offers back with a button of its own: this one dismisses.)
      await page.evaluate(() => [...document.querySelectorAll(".notice button")].find((b) => b.textContent === "Dismiss").click());
      assert.equal(await has(page, ".notice"), false, "the message can be dismissed");
      await page.click(".lesson-nav button:last-child");
      assert.equal(await text(page, ".lesson-count"), "Chapter 2 of 12");
      assert.deepEqual(problems(console), []);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
