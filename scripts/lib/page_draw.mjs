// Times how long each dashboard page takes to be fully drawn in headless Chromium: from navigation
// to the end of its first refresh cycle (every figure fetched and drawn: #refreshed-at's
// data-refresh-count reaches 1). Used by scripts/bench.sh --warehouse.
//   node page_draw.mjs PLAYWRIGHT_INDEX_MJS CHROMIUM BASE_URL PROFILE_DIR REPS
// Prints "<page> <seconds>" per rep.
const [playwrightPath, chromiumPath, base, profile, reps] = process.argv.slice(2);
const { chromium } = await import(playwrightPath);
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  viewport: { width: 1440, height: 1000 },
});
try {
  for (let rep = 0; rep < Number(reps); rep++) {
    for (const path of ['/', '/details']) {
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(base + path);
      await page.waitForFunction(() => Number(document.getElementById('refreshed-at')?.dataset.refreshCount || 0) >= 1,
        null, { timeout: 60000 });
      console.log(`${path} ${((performance.now() - t0) / 1000).toFixed(3)}`);
      await page.close();
    }
  }
} finally {
  await context.close();
}
