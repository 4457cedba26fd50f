// The watch page's quality menu: "Auto" (hls.js picks by measured bandwidth) or one rendition.
export function qualityMenu(hls, select) {
  if (!select || hls.levels.length < 2) return;
  const label = (level) => (level.height ? `${level.height}p` : `${Math.round(level.bitrate / 1000)} kb/s`);
  const options = [new Option('Auto', '-1', true, true)];
  hls.levels.forEach((level, index) => options.push(new Option(label(level), String(index))));
  select.replaceChildren(...options);
  select.hidden = false;
  select.addEventListener('change', () => {
    const index = Number(select.value);
    // -1 hands the choice back to the bandwidth estimate; a number fixes the rendition.
    hls.currentLevel = index;
    if (index === -1) hls.nextLevel = -1;
  });
  const showCurrent = () => {
    const auto = hls.autoLevelEnabled;
    const current = hls.levels[hls.currentLevel];
    select.options[0].textContent = auto && current ? `Auto (${label(current)})` : 'Auto';
    select.dataset.level = String(hls.currentLevel);
  };
  hls.on(window.Hls.Events.LEVEL_SWITCHED, showCurrent);
}
