// Loaded as <script type="module"> by templates/base.html, so no inline script is needed
// (strict CSP). Browsers without ES modules skip it and get the no-JavaScript page.
import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()
