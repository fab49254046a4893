/// <reference lib="dom" />

/**
 * A virtualised list: a scroll box whose height stands for `count` rows of `rowHeight` pixels,
 * holding only the rows in view (plus a margin). `row(i)` returns a row's HTML, or undefined
 * while it is loading (`need(from, to)` is then called once per refresh to fetch them).
 */
export class VirtualList {
  private count = 0
  private readonly spacer: HTMLDivElement
  private readonly rows: HTMLDivElement
  private scheduled = false

  constructor(
    readonly box: HTMLElement,
    readonly rowHeight: number,
    private readonly row: (i: number) => string | undefined,
    private readonly need: (from: number, to: number) => void = () => {},
    private readonly rowClass: (i: number) => string = () => '',
  ) {
    box.classList.add('vlist')
    this.spacer = document.createElement('div')
    this.spacer.className = 'vlist-spacer'
    this.rows = document.createElement('div')
    this.rows.className = 'vlist-rows'
    this.spacer.append(this.rows)
    box.replaceChildren(this.spacer)
    box.addEventListener('scroll', () => this.refresh())
  }

  setCount(count: number): void {
    this.count = count
    this.spacer.style.height = `${count * this.rowHeight}px`
    this.refresh()
  }

  get size(): number {
    return this.count
  }

  /** Re-renders the visible rows (batched to one per animation frame). */
  refresh(): void {
    if (this.scheduled) return
    this.scheduled = true
    requestAnimationFrame(() => {
      this.scheduled = false
      this.render()
    })
  }

  /** Renders now (tests and the first paint need it synchronous). */
  render(): void {
    const top = this.box.scrollTop
    const height = this.box.clientHeight || 400
    const first = Math.max(0, Math.floor(top / this.rowHeight) - 5)
    const last = Math.min(this.count, Math.ceil((top + height) / this.rowHeight) + 5)
    let html = ''
    let missingFrom = -1
    let missingTo = -1
    for (let i = first; i < last; i++) {
      const content = this.row(i)
      if (content === undefined) {
        if (missingFrom < 0) missingFrom = i
        missingTo = i + 1
      }
      html += `<div class="vrow ${this.rowClass(i)}" data-i="${i}" style="top:${i * this.rowHeight}px;height:${this.rowHeight}px">${content ?? '<span class="dim">…</span>'}</div>`
    }
    this.rows.innerHTML = html
    if (missingFrom >= 0) this.need(missingFrom, missingTo)
  }

  /** Scrolls so that row `i` is in view (centred when it was out of view). */
  reveal(i: number): void {
    const top = i * this.rowHeight
    const height = this.box.clientHeight || 400
    if (top < this.box.scrollTop || top + this.rowHeight > this.box.scrollTop + height)
      this.box.scrollTop = Math.max(0, top - height / 2)
    this.render()
  }
}
