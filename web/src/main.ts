/** The web client's entry point: defines the elements; index.html holds <rm-app>. */
import './components/rm-app.js';
