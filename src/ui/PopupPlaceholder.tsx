/** Popup shown until the real settings and status views exist. */
export function PopupPlaceholder() {
  return (
    <main style={{ font: '14px system-ui, sans-serif', padding: '12px 16px', minWidth: '260px' }}>
      <h1 style={{ fontSize: '16px', margin: '0 0 8px' }}>LiqLens</h1>
      <p style={{ margin: 0 }}>
        Estimated liquidation levels on the exchange's futures page. This panel is under construction.
      </p>
    </main>
  );
}
