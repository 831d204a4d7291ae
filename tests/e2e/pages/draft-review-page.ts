import type { Locator, Page } from 'playwright-core';
import type { DraftFieldName, EvidenceSpan } from '../../../src-main/contract';

/**
 * The proposals in the live call's work order: each proposed field's frame (its review state, its
 * confidence and its evidence as the page received them), the count beside Confirm, and the words
 * marked in the transcript.
 */
export class DraftReviewPage {
  constructor(readonly page: Page) {}

  frame(field: DraftFieldName): Locator {
    return this.page.getByTestId(`draft-${field}`);
  }

  async state(field: DraftFieldName): Promise<string> {
    return (await this.frame(field).getAttribute('data-review-state')) ?? '';
  }

  tag(field: DraftFieldName): Locator {
    return this.frame(field).getByTestId('proposal-tag');
  }

  /** The evidence of the field's proposal, as the draft gave it to the page. */
  async evidence(field: DraftFieldName): Promise<EvidenceSpan[]> {
    return JSON.parse((await this.frame(field).getAttribute('data-evidence')) ?? '[]') as EvidenceSpan[];
  }

  /** The newer proposal offered beside a field the operator has already dealt with. */
  newer(field: DraftFieldName): Locator {
    return this.page.getByTestId(`newer-${field}`);
  }

  async pendingFields(): Promise<DraftFieldName[]> {
    return this.page
      .locator('[data-draft-field][data-review-state="proposed"]')
      .evaluateAll((frames) => frames.map((frame) => frame.getAttribute('data-draft-field') as DraftFieldName));
  }

  pendingCount(): Locator {
    return this.page.getByTestId('pending-proposals');
  }

  /** How many transcript segments the draft shown in the form takes into account. */
  async draftSegmentCount(): Promise<number> {
    const value = await this.page.getByTestId('case-form-pane').getAttribute('data-draft-segments');
    return value ? Number(value) : 0;
  }

  async hasFocus(field: DraftFieldName): Promise<boolean> {
    return this.frame(field).evaluate((frame) => frame.contains(frame.ownerDocument.activeElement));
  }

  segment(segmentId: string): Locator {
    return this.page.locator(`[data-testid="transcript-list"] [data-segment-id="${segmentId}"]`);
  }

  async segmentText(segmentId: string): Promise<string> {
    return (await this.segment(segmentId).getByTestId('segment-text').textContent()) ?? '';
  }

  /** Words marked as evidence in one transcript line. */
  marksIn(segmentId: string): Promise<string[]> {
    return this.segment(segmentId).getByTestId('evidence-mark').allTextContents();
  }

  allMarks(): Locator {
    return this.page.getByTestId('transcript-list').getByTestId('evidence-mark');
  }

  /** Whether the line lies within the visible part of the transcript's scrolling area. */
  async segmentInView(segmentId: string): Promise<boolean> {
    return this.segment(segmentId).evaluate((line) => {
      const scroller = line.closest('[data-testid="transcript-scroll"]');
      if (!scroller) return false;
      const lineBox = line.getBoundingClientRect();
      const viewBox = scroller.getBoundingClientRect();
      return lineBox.top >= viewBox.top - 1 && lineBox.bottom <= viewBox.bottom + 1;
    });
  }
}
