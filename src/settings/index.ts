/** The settings API for the panel, the popup, the options page and alerts. */
export {
  DEFAULT_SETTINGS,
  getSettings,
  getWatchlist,
  isWatched,
  loadSettings,
  MAX_WATCHES,
  saveSettings,
  setWatched,
  watchSettings,
  watchWatchlist,
  type Watch,
} from './store';
export {
  LEVERAGE_PRESET_NAMES,
  leverageWeights,
  PRESET_WEIGHTS,
  SETTINGS_VERSION,
  THEMES,
  TIMEFRAME_CHOICES,
  type LeveragePreset,
  type LeverageSetting,
  type Settings,
  type SettingsRead,
  type Theme,
  type TimeframeChoice,
} from './schema';
export { estimateRequestFor } from './request';
