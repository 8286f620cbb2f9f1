import { describe, expect, it } from 'vitest';
import { alignColumns, formatTable } from './format-table';

describe('formatTable', () => {
  it('aligns numbers right and words left, under a rule of dashes', () => {
    expect(
      formatTable(
        ['class', 'n', 'acc'],
        [
          ['T-shirt', 6000, '89.21%'],
          ['Bag', 12, '9.50%'],
        ],
      ),
    ).toBe(['class       n     acc', '-------  ----  ------', 'T-shirt  6000  89.21%', 'Bag        12   9.50%'].join('\n'));
  });

  it('takes the alignment it is given', () => {
    expect(formatTable(['a', 'b'], [['x', 'yes']], { align: ['right', 'right'] })).toBe(['a    b', '-  ---', 'x  yes'].join('\n'));
    expect(
      alignColumns(
        [
          ['ab', 'c'],
          ['d', 'ef'],
        ],
        ['left', 'right'],
        '|',
      ),
    ).toEqual(['ab| c', 'd |ef']);
  });
});
