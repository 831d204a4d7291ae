import type { ThemeConfig } from 'antd';

const fontFamily = [
  '"Noto Sans CJK SC"',
  '"Noto Sans SC"',
  '"PingFang SC"',
  '"Microsoft YaHei"',
  '"Source Han Sans SC"',
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'sans-serif',
].join(', ');

/** Calm and large: long shifts, many elderly callers, no motion that draws the eye. */
export const theme: ThemeConfig = {
  token: {
    fontFamily,
    fontSize: 16,
    fontSizeLG: 18,
    controlHeight: 36,
    controlHeightLG: 44,
    borderRadius: 6,
    colorPrimary: '#2f5f8a',
    colorInfo: '#2f5f8a',
    // antd derives these from the main colour; for our muted blue and green that gives a heavy grey.
    colorInfoBg: '#eef4fa',
    colorInfoBorder: '#c9d9ea',
    colorSuccess: '#3c7d4f',
    colorSuccessBg: '#edf5ef',
    colorSuccessBorder: '#bfd8c5',
    colorWarning: '#b7791f',
    colorError: '#b3403a',
    colorBgLayout: '#f3f4f6',
    colorTextBase: '#1f2933',
    motion: false,
  },
  components: {
    Segmented: { itemSelectedBg: '#ffffff' },
    Table: { headerBg: '#f5f6f8' },
  },
};
