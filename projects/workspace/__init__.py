"""The project workspace: projects, participants, co-design sessions, plan, PDSA cycles,
approvals and documents. Its public interface is `projects.workspace.api`."""
